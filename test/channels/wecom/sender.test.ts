/**
 * The WeCom sender against the fake: the bot keeps the 48 h window and 5-message cap itself and never attempts
 * what WeCom would refuse; long texts split at sentence ends; choices as msgmenu; the welcome code once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outboxKey } from '../../../src/pipeline/keys.js';
import { patchConversationMeta } from '../../../src/channels/wecom/conversation-meta.js';
import { requestSync } from '../../../src/channels/wecom/sync-runner.js';
import type { OutboundReply } from '../../../src/core/types.js';
import type { Conversation } from '../../../src/store/types.js';
import { KF, startWecomEnv, type WecomTestEnv } from './env.js';
import { manualClock } from '../../helpers/clock.js';
import { SEND_REFUSED_FOR_STATE } from './fixtures.js';

const clock = manualClock();
let env: WecomTestEnv;
let n = 0;
let users = 0;
beforeAll(async () => {
  env = await startWecomEnv({ clock });
});
afterAll(async () => {
  await env.stop();
});
beforeEach(() => {
  n++;
});

const HOUR = 3600_000;

/** A customer who wrote `ago` ms ago, with the pipeline's bookkeeping applied to the conversation. */
async function customer(opts: { ago?: number; replies?: number } = {}): Promise<{ user: string; conv: Conversation }> {
  const user = `wmSend${String(++users).padStart(4, '0')}`;
  const t = clock.now();
  clock.advance(-(opts.ago ?? 0));
  env.fake.customerText(KF, user, '我的杯子漏水了');
  clock.set(t);
  await requestSync(env.services, env.client, KF, null);
  const conv = await env.services.store.findConversation('wecom', `${KF}:${user}`);
  if (!conv) throw new Error('conversation missing');
  const updated = await env.services.store.updateConversation(conv.id, conv.version, {
    lastCustomerAt: t - (opts.ago ?? 0),
    repliesSinceCustomer: opts.replies ?? 0,
  });
  if (!updated) throw new Error('conversation changed');
  return { user, conv: updated };
}

async function send(conv: Conversation, reply: OutboundReply, part = 0) {
  const key = outboxKey('b', conv.id, n, part);
  const { row } = await env.services.store.insertOutbound({ key, conversationId: conv.id, channel: 'wecom', author: 'bot', reply });
  const fresh = (await env.services.store.getConversation(conv.id)) ?? conv;
  return { key, outcome: await env.sender.send(row, fresh) };
}

const sentTo = (user: string) => env.fake.sent.filter((m) => m.touser === user);

describe('WeCom sender', () => {
  it('answers through send_msg with the outbox key as msgid', async () => {
    const { user, conv } = await customer();
    const { key, outcome } = await send(conv, { text: '收到，我们马上处理。' });
    expect(outcome).toEqual({ status: 'sent', platformMsgId: key });
    expect(sentTo(user)).toMatchObject([{ via: 'send_msg', msgid: key, msgtype: 'text', body: { text: { content: '收到，我们马上处理。' } } }]);
    // A retried row is not sent again (WeCom would refuse the reused msgid).
    const again = await env.sender.send((await env.services.store.getOutbound(key))!, conv);
    expect(again.status).toBe('sent');
    expect(sentTo(user)).toHaveLength(1);
    expect(env.fake.refusals).toEqual([]);
  });

  it('checkWindow refuses after 48 h, at the 5-message cap, and for the bot while a person has it', async () => {
    const now = clock.now();
    const { conv } = await customer();
    expect(env.sender.checkWindow(conv, now)).toEqual({ ok: true });
    expect(env.sender.checkWindow({ ...conv, lastCustomerAt: now - 49 * HOUR }, now).ok).toBe(false);
    expect(env.sender.checkWindow({ ...conv, repliesSinceCustomer: 5 }, now).ok).toBe(false);
    expect(env.sender.checkWindow({ ...conv, mode: 'human' }, now).ok).toBe(false);
    expect(env.sender.checkWindow({ ...conv, mode: 'human' }, now, { proactive: true }).ok).toBe(true);
    expect(env.sender.checkWindow({ ...conv, mode: 'human' }, now, { author: 'bot' }).ok).toBe(false);
    expect(env.sender.checkWindow({ ...conv, mode: 'human' }, now, { author: 'agent' })).toEqual({ ok: true });
    expect(env.sender.checkWindow({ ...conv, mode: 'human', lastCustomerAt: now - 49 * HOUR }, now, { author: 'agent' }).ok).toBe(false);
    expect(env.sender.checkWindow({ ...conv, lastCustomerAt: null }, now).ok).toBe(false);
  });

  it('never attempts a send outside the window or over the cap', async () => {
    const late = await customer({ ago: 49 * HOUR });
    expect((await send(late.conv, { text: '您好' })).outcome).toMatchObject({ status: 'held' });
    const capped = await customer({ replies: 5 });
    expect((await send(capped.conv, { text: '您好' })).outcome).toMatchObject({ status: 'held' });
    expect(sentTo(late.user)).toHaveLength(0);
    expect(sentTo(capped.user)).toHaveLength(0);
    expect(env.fake.refusals).toEqual([]);
  });

  it('splits long text at sentence ends, counts every part, and holds when the parts would pass the cap', async () => {
    const sentence = '您的订单已经登记，我们会尽快安排处理。';
    const long = sentence.repeat(120); // ≈6.8 KB
    const { user, conv } = await customer({ replies: 1 });
    const { key, outcome } = await send(conv, { text: long });
    expect(outcome.status).toBe('sent');
    const parts = sentTo(user);
    expect(parts.map((p) => p.msgid)).toEqual([`${key}_1`, `${key}_2`, `${key}_3`, `${key}_4`]);
    for (const p of parts) {
      const content = String((p.body.text as { content: string }).content);
      expect(Buffer.byteLength(content)).toBeLessThanOrEqual(2048);
      expect(content.endsWith('。')).toBe(true);
    }
    expect(parts.map((p) => String((p.body.text as { content: string }).content)).join('')).toBe(long);
    // The pipeline counts one reply per row; the sender added the other three parts.
    expect((await env.services.store.getConversation(conv.id))?.repliesSinceCustomer).toBe(1 + 3);

    const tight = await customer({ replies: 3 });
    expect((await send(tight.conv, { text: long })).outcome).toMatchObject({ status: 'held' });
    expect(sentTo(tight.user)).toHaveLength(0);
    expect(env.fake.refusals).toEqual([]);
  });

  it('renders choices as a msgmenu', async () => {
    const { user, conv } = await customer();
    await send(conv, {
      text: '请选择处理方式：',
      choices: [
        { id: 'refund', label: '退款' },
        { id: 'exchange', label: '换货' },
      ],
      tail: '也可以直接留言',
    });
    expect(sentTo(user)[0]).toMatchObject({
      msgtype: 'msgmenu',
      body: {
        msgmenu: {
          head_content: '请选择处理方式：',
          list: [
            { type: 'click', click: { id: 'refund', content: '退款' } },
            { type: 'click', click: { id: 'exchange', content: '换货' } },
          ],
          tail_content: '也可以直接留言',
        },
      },
    });
  });

  it('welcomes through send_msg_on_event once, and never with an expired code', async () => {
    const user = `wmWelcome${n}`;
    const { welcomeCode } = env.fake.enter(KF, user);
    await requestSync(env.services, env.client, KF, null);
    const conv = (await env.services.store.findConversation('wecom', `${KF}:${user}`))!;
    const entered = (await env.services.store.listInbound(conv.id, 5))[0]!;
    const replyTo = entered.message.meta;
    expect(replyTo.welcomeCode).toBe(welcomeCode);
    expect(env.sender.checkWindow(conv, clock.now())).toEqual({ ok: true });
    const first = await send(conv, { text: '您好，欢迎光临！', replyTo }, 0);
    expect(first.outcome.status).toBe('sent');
    expect(sentTo(user)).toMatchObject([{ via: 'send_msg_on_event', msgid: first.key }]);
    // A second reply to the same event: the code is spent and the customer has not written → held, not attempted.
    expect((await send(conv, { text: '有什么可以帮您？', replyTo }, 1)).outcome.status).toBe('held');

    const late = `wmLate${n}`;
    env.fake.enter(KF, late);
    await requestSync(env.services, env.client, KF, null);
    const lateConv = (await env.services.store.findConversation('wecom', `${KF}:${late}`))!;
    const lateMeta = (await env.services.store.listInbound(lateConv.id, 5))[0]!.message.meta;
    clock.advance(25_000);
    expect(env.sender.checkWindow(lateConv, clock.now()).ok).toBe(false);
    expect((await send(lateConv, { text: '您好', replyTo: lateMeta })).outcome.status).toBe('held');
    expect(sentTo(late)).toHaveLength(0);
    expect(env.fake.refusals).toEqual([]);
  });

  it('holds a reply WeCom refuses for the session state (95018) for a person, and stops trying', async () => {
    const { user, conv } = await customer();
    // A servicer takes the session in the WeCom client; our side has not synced the event yet.
    env.fake.servicerTakes(KF, user, 'zhangsan');
    const { key, outcome } = await send(conv, { text: '您好，请问还有什么可以帮您？' });
    expect(outcome).toMatchObject({ status: 'held', reason: expect.stringContaining('held for a person') });
    expect(env.fake.refusals).toEqual([{ endpoint: 'send_msg', reason: 'state', errcode: SEND_REFUSED_FOR_STATE.errcode, msgid: key }]);
    const after = (await env.services.store.getConversation(conv.id))!;
    expect(after.meta.wecomState).toBe('servicer');
    // The next reply is held by the window without another refused call.
    const calls = env.fake.calls('kf/send_msg');
    expect((await send(after, { text: '在吗' }, 1)).outcome.status).toBe('held');
    expect(env.fake.calls('kf/send_msg')).toBe(calls);
    expect(sentTo(user)).toHaveLength(0);
    env.fake.refusals.length = 0;
  });

  it('a system notice refused because the session just moved to the pool goes out on the transfer reply code', async () => {
    const { user, conv } = await customer();
    // The native handoff's transfer is through, its reply code not yet recorded on our side.
    const { msg_code: code } = await env.client.transServiceState({ openKfId: KF, externalUserId: user, state: 2 });
    const key = outboxKey('s', conv.id, n);
    const { row } = await env.services.store.insertOutbound({ key, conversationId: conv.id, channel: 'wecom', author: 'system', reply: { text: '已为您转接人工客服，请稍候。' } });
    expect(await env.sender.send(row, conv)).toMatchObject({ status: 'retry' });
    expect(env.fake.refusals.map((r) => r.errcode)).toEqual([SEND_REFUSED_FOR_STATE.errcode]);
    env.fake.refusals.length = 0;
    await patchConversationMeta(env.services.store, conv.id, { wecomReplyCode: code, wecomReplyCodeExpiresAt: clock.now() + 48 * HOUR });
    const fresh = (await env.services.store.getConversation(conv.id))!;
    expect(fresh.meta.wecomState).toBe('pool');
    expect(env.sender.checkWindow(fresh, clock.now(), { author: 'system', proactive: true })).toEqual({ ok: true });
    expect(await env.sender.send(row, fresh)).toMatchObject({ status: 'sent' });
    expect(sentTo(user)).toMatchObject([{ via: 'send_msg_on_event', body: { text: { content: '已为您转接人工客服，请稍候。' } } }]);
    // The code is single-use: a second notice is held, not attempted.
    const second = await env.services.store.insertOutbound({ key: outboxKey('s', conv.id, n, 1), conversationId: conv.id, channel: 'wecom', author: 'system', reply: { text: '请稍候' } });
    expect(await env.sender.send(second.row, fresh)).toMatchObject({ status: 'held' });
    expect(env.fake.refusals).toEqual([]);
  });

  it('treats a platform "duplicate msgid" as already sent, and an exhausted busy (-1) as retry', async () => {
    const { user, conv } = await customer();
    const first = await send(conv, { text: '第一次' });
    await env.services.redis.del(`${env.services.config.queuePrefix}:wecom:sent:${first.key}`);
    const row = (await env.services.store.getOutbound(first.key))!;
    expect(await env.sender.send(row, conv)).toMatchObject({ status: 'sent' });
    expect(sentTo(user)).toHaveLength(1);
    expect(env.fake.refusals.map((r) => r.reason)).toEqual(['duplicate_msgid']);
    env.fake.refusals.length = 0;

    env.fake.server.failNext(10, -1, 'kf/send_msg');
    expect((await send(conv, { text: '忙' }, 1)).outcome.status).toBe('retry');
    env.fake.server.failNext(0);
  });

  it('after a partial failure, resends only the missing parts and counts each part once', async () => {
    const { user, conv } = await customer();
    env.fake.server.failNext(1, 45009, 'kf/send_msg', 1);
    const reply = { text: '请稍等，正在为您查询物流。'.repeat(150) }; // 5850 bytes: 3 parts
    const first = await send(conv, reply);
    expect(first.outcome.status).toBe('retry');
    expect(sentTo(user)).toHaveLength(1);
    expect((await env.services.store.getConversation(conv.id))?.repliesSinceCustomer).toBe(1);
    const row = (await env.services.store.getOutbound(first.key))!;
    expect(await env.sender.send(row, (await env.services.store.getConversation(conv.id))!)).toMatchObject({ status: 'sent' });
    expect(sentTo(user).map((m) => m.msgid)).toEqual([`${first.key}_1`, `${first.key}_2`, `${first.key}_3`]);
    // 1 counted on the failed attempt + 1 extra part now; the pipeline adds the last one for the sent row.
    expect((await env.services.store.getConversation(conv.id))?.repliesSinceCustomer).toBe(2);
    expect(env.fake.refusals).toEqual([]);
  });

  it('resolves msg_send_fail of a split part back to the outbox key', async () => {
    const { user, conv } = await customer();
    env.fake.failNextSends(1, 4);
    const { key } = await send(conv, { text: '很长的一句话。'.repeat(400) });
    await requestSync(env.services, env.client, KF, null);
    const rows = await env.services.store.listInbound(conv.id, 20);
    const failed = rows.find((r) => r.message.event?.type === 'send_failed');
    expect(failed?.message.event?.data).toMatchObject({ outboxKey: key, failMsgid: `${key}_1`, failType: 4 });
    expect(sentTo(user).length).toBeGreaterThan(1);
  });
});
