/**
 * WECOM_HANDOFF=native, end to end (the whole app between the fake WeCom's callbacks and its kf API): a
 * customer asking for a person has the kf session moved to WeCom's waiting pool with service_state/trans,
 * hears the hand-over notice once (on the transfer's msg_code if the pool already has the session), and the
 * bot stays silent without a single refused call until a servicer has ended the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from '../../helpers/harness.js';
import { CallbackSender, startFakeWecom, type FakeWecom } from '../../fakes/wecom/index.js';
import { KF, SECRET, VECTOR, wecomEnv } from './env.js';
import { conversationSettled } from './settle.js';

const USER = 'wmNATIVE0001';
let app: Harness;
let fake: FakeWecom;

beforeAll(async () => {
  fake = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, openKfIds: [KF] });
  app = await startHarness({ env: wecomEnv(fake.baseUrl, { WECOM_HANDOFF: 'native' }) });
  fake.connect(new CallbackSender({ url: `${app.baseUrl}/webhooks/wecom`, corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key, retryAfterMs: 2000 }));
});
afterAll(async () => {
  await fake?.close();
  await app?.stop();
});

const sentTo = () => fake.sent.filter((m) => m.touser === USER);

const settled = (rowCount: number): Promise<void> => conversationSettled(fake, app.services.store, `${KF}:${USER}`, rowCount);

describe('native handoff to WeCom servicers', () => {
  it('moves the escalated session to the pool, tells the customer once, and keeps the bot quiet', { timeout: 60_000 }, async () => {
    const { store } = app.services;
    fake.customerText(KF, USER, '衣服开线了，我要找人工客服');
    await waitFor(() => fake.session(KF, USER).state === 2, { what: 'session in the waiting pool' });
    await waitFor(async () => (await store.findConversation('wecom', `${KF}:${USER}`))?.meta.wecomState === 'pool', { what: 'pool state recorded' });
    await waitFor(() => sentTo().length >= 1, { what: 'the hand-over notice' });
    await settled(1);
    expect(fake.calls('kf/service_state/trans')).toBe(1);
    expect(fake.calls('kf/service_state/get')).toBeGreaterThanOrEqual(1);
    const conv = (await store.findConversation('wecom', `${KF}:${USER}`))!;
    expect(conv).toMatchObject({ mode: 'human', meta: { wecomState: 'pool' } });
    expect((await store.listCases({ conversationId: conv.id, limit: 5 })).items[0]?.status).toBe('escalated');
    const notices = sentTo();
    expect(notices).toHaveLength(1);
    // Sent before the transfer (send_msg) or after it, on the transfer's reply code. A notice caught between the
    // transfer and our record of it is refused once (95018) and retried on the code: still exactly one.
    expect(['send_msg', 'send_msg_on_event']).toContain(notices[0]?.via);
    expect(fake.refusals.every((r) => r.errcode === 95018 && r.msgid === notices[0]?.msgid)).toBe(true);
    fake.refusals.length = 0;

    // The customer keeps writing while the session waits in the pool: nothing is attempted.
    fake.customerText(KF, USER, '在吗？多久能处理？');
    await settled(2);
    expect(sentTo()).toHaveLength(1);
    expect(fake.refusals).toEqual([]);

    // A servicer picks it up and ends it; the next message is the bot's again.
    fake.servicerTakes(KF, USER, 'zhangsan');
    fake.servicerText(KF, USER, 'zhangsan', '您好，我是客服小张，已为您登记');
    fake.endSession(KF, USER);
    await settled(5);
    expect(sentTo()).toHaveLength(1);
    fake.customerText(KF, USER, '谢谢，还有一个问题');
    await waitFor(() => sentTo().length > 1, { what: 'the bot answering after the session ended' });
    await settled(6);
    expect(sentTo().slice(1).every((m) => m.via === 'send_msg')).toBe(true);
    expect(fake.calls('kf/service_state/trans')).toBe(1);
    expect(fake.refusals).toEqual([]);
  });
});
