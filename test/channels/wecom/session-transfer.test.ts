/** Native handoff: service_state/trans to the pool or a servicer, and the bot silent while people have it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transferToHuman } from '../../../src/channels/wecom/session-transfer.js';
import { requestSync } from '../../../src/channels/wecom/sync-runner.js';
import type { Conversation } from '../../../src/store/types.js';
import { KF, startWecomEnv, type WecomTestEnv } from './env.js';

let env: WecomTestEnv;
beforeAll(async () => {
  env = await startWecomEnv({ env: { WECOM_HANDOFF: 'native' } });
});
afterAll(async () => {
  await env.stop();
});

async function conversationOf(user: string): Promise<Conversation> {
  env.fake.customerText(KF, user, '我要找人工');
  await requestSync(env.services, env.client, KF, null);
  const conv = await env.services.store.findConversation('wecom', `${KF}:${user}`);
  if (!conv) throw new Error('conversation missing');
  return applyCustomerTime(conv);
}

/** What the pipeline does: lastCustomerAt = platform send time (1 s resolution) of the newest customer row. */
async function applyCustomerTime(conv: Conversation): Promise<Conversation> {
  const rows = await env.services.store.listInbound(conv.id, 100);
  const last = Math.max(...rows.filter((r) => r.from === 'customer').map((r) => r.sentAt));
  const fresh = (await env.services.store.getConversation(conv.id))!;
  return (await env.services.store.updateConversation(fresh.id, fresh.version, { lastCustomerAt: last, repliesSinceCustomer: 0, mode: 'bot' })) ?? fresh;
}

describe('transferToHuman (WECOM_HANDOFF=native)', () => {
  it('moves the session to the pool; the bot goes quiet and never attempts a send', async () => {
    const conv = await conversationOf('wmHand001');
    const out = await transferToHuman(env.services, conv);
    expect(out).toMatchObject({ ok: true, state: 2 });
    expect(env.fake.session(KF, 'wmHand001').state).toBe(2);
    const after = (await env.services.store.getConversation(conv.id))!;
    expect(after.meta).toMatchObject({ wecomState: 'pool', wecomReplyCode: out.ok ? out.msgCode : 'none' });
    // The bot is held by the platform state itself; one notice from people or the system may use the code.
    expect(env.sender.checkWindow(after, Date.now()).ok).toBe(false);
    expect(env.sender.checkWindow(after, Date.now(), { proactive: true, author: 'bot' }).ok).toBe(false);
    expect(env.sender.checkWindow(after, Date.now(), { proactive: true, author: 'system' }).ok).toBe(true);
  });

  it('moves the session to a named servicer, and the bot may speak again once the customer writes after the end', async () => {
    const user = 'wmHand002';
    const conv = await conversationOf(user);
    expect(await transferToHuman(env.services, conv, 'zhangsan')).toMatchObject({ ok: true, state: 3 });
    expect(env.fake.session(KF, user)).toMatchObject({ state: 3, servicer: 'zhangsan' });
    env.fake.servicerText(KF, user, 'zhangsan', '您好，我来处理');
    env.fake.endSession(KF, user);
    await requestSync(env.services, env.client, KF, null);
    const now = (await env.services.store.getConversation(conv.id))!;
    expect(now.meta.wecomState).toBe('ended');
    expect(env.sender.checkWindow({ ...now, mode: 'bot' }, Date.now()).ok).toBe(false);

    await new Promise((r) => setTimeout(r, 1100)); // a new platform second for the new message
    env.fake.customerText(KF, user, '还有个问题');
    await requestSync(env.services, env.client, KF, null);
    const fresh = await applyCustomerTime(conv);
    expect(env.sender.checkWindow(fresh, Date.now()).ok).toBe(true);
    expect(env.fake.session(KF, user).state).toBe(0);
    expect(env.fake.refusals).toEqual([]);
  });

  it('reports a refused transfer instead of throwing, and does nothing in console mode', async () => {
    const conv = await conversationOf('wmHand003');
    expect(await transferToHuman(env.services, conv, 'nobody')).toMatchObject({ ok: false });
    const consoleMode = { ...env.services, config: { ...env.services.config, wecom: { ...env.services.config.wecom!, handoff: 'console' as const } } };
    expect(await transferToHuman(consoleMode, conv)).toEqual({ ok: false, reason: 'WECOM_HANDOFF is not native' });
  });
});
