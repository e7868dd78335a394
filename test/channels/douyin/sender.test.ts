/** The Douyin client and sender against the fake platform: msg_id window, scenes, token errors, retries. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDouyinClient } from '../../../src/channels/douyin/client.js';
import { createDouyinSender, MAX_TRANSIENT_TRIES, renderText } from '../../../src/channels/douyin/sender.js';
import { checkDouyinWindow, MSG_ID_TTL_MS } from '../../../src/channels/douyin/window.js';
import { PlatformError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/log.js';
import { createMetrics } from '../../../src/metrics.js';
import type { Conversation, OutboxRow } from '../../../src/store/types.js';
import { FAKE_CODES, FakeDouyin, TOKEN_EXPIRED, TOKEN_INVALID, TRANSIENT } from '../../fakes/douyin/server.js';
import { manualClock } from '../../helpers/clock.js';
import { DY } from './rig.js';

const clock = manualClock(1_718_000_000_000);
let fake: FakeDouyin;
const metrics = createMetrics({ defaults: false });
const log = createLogger({ level: 'silent' });

beforeAll(async () => {
  fake = await FakeDouyin.start({ ...DY, clock });
});
afterAll(() => fake.stop());

const config = () => ({ ...DY, apiBase: fake.baseUrl });
const sender = (cfg = config()) => createDouyinSender({ config: cfg, client: createDouyinClient(cfg), clock, log, metrics });

function conv(openId: string, meta: Record<string, unknown>, mode: Conversation['mode'] = 'bot'): Conversation {
  return {
    id: `c-${openId}`, channel: 'douyin', key: openId, customerId: 'cust-uuid', mode, state: {}, meta,
    lastCustomerAt: null, repliesSinceCustomer: 0, version: 1, createdAt: '', updatedAt: '',
  };
}
function row(reply: OutboxRow['reply'], author: OutboxRow['author'] = 'bot'): OutboxRow {
  return {
    id: 'r', key: `k-${Math.random()}`, conversationId: 'c', channel: 'douyin', author, authorId: null, caseId: null, reply,
    status: 'pending', attempts: 0, error: null, platformMsgId: null, createdAt: '', sentAt: null,
  };
}
/** The meta the pipeline would merge into the conversation for a delivered customer message. */
function metaOf(fakeMsg: { serverMessageId: string }, openId: string, scene = 'im_replay_msg') {
  return { msgId: fakeMsg.serverMessageId, msgAt: clock.now(), conversationId: fake.conversationOf(openId), scene };
}

describe('douyin window', () => {
  const meta = { msgId: '@m', msgAt: clock.now(), conversationId: '@c', scene: 'im_replay_msg' };
  it('allows replies to a fresh msg_id and refuses human-owned or expired conversations', () => {
    expect(checkDouyinWindow(conv('a', meta), clock.now())).toEqual({ ok: true });
    expect(checkDouyinWindow(conv('a', meta, 'human'), clock.now()).ok).toBe(false);
    // A person owns it: the bot is quiet, the agent's answer goes through.
    expect(checkDouyinWindow(conv('a', meta, 'human'), clock.now(), { author: 'bot' }).ok).toBe(false);
    expect(checkDouyinWindow(conv('a', meta, 'human'), clock.now(), { author: 'agent' })).toEqual({ ok: true });
    expect(checkDouyinWindow(conv('a', meta), clock.now() + MSG_ID_TTL_MS).ok).toBe(false);
    expect(checkDouyinWindow(conv('a', {}), clock.now()).ok).toBe(false);
  });
  it('allows proactive messages only while a fresh msg_id exists', () => {
    expect(checkDouyinWindow(conv('a', meta), clock.now(), { proactive: true })).toEqual({ ok: true });
    const late = checkDouyinWindow(conv('a', meta), clock.now() + MSG_ID_TTL_MS, { proactive: true });
    expect(late.ok === false && late.reason).toMatch(/im_authorize_message/);
  });
});

describe('douyin sender against the fake', () => {
  it('answers the message it replies to, with conversation_id, to_user_id and scene', async () => {
    const m1 = fake.textMessage('shop-1', '第一条');
    const m2 = fake.textMessage('shop-1', '第二条');
    const out = await sender().send(
      row({ text: '请选择', choices: [{ id: 'a', label: '退货' }, { id: 'b', label: '换货' }], replyTo: metaOf(m1, 'shop-1') }),
      conv('shop-1', metaOf(m2, 'shop-1')),
    );
    expect(out.status).toBe('sent');
    expect(out.status === 'sent' && out.platformMsgId).toMatch(/^@sent/);
    expect(fake.sends.at(-1)).toMatchObject({ msgId: m1.serverMessageId, conversationId: '@conv-shop-1', toUserId: 'shop-1', scene: 'im_replay_msg', text: '请选择\n1. 退货\n2. 换货' });
  });

  it('answers the enter event with the im_enter_direct_msg scene', async () => {
    const enter = fake.enterEvent('shop-2');
    const meta = metaOf(enter, 'shop-2', 'im_enter_direct_msg');
    expect((await sender().send(row({ text: '欢迎', replyTo: meta }), conv('shop-2', meta))).status).toBe('sent');
    expect(fake.sends.at(-1)?.scene).toBe('im_enter_direct_msg');
  });

  it('falls back to the newest msg_id when the answered one expired, and holds when none is fresh', async () => {
    const old = fake.textMessage('shop-3', '旧');
    const oldMeta = metaOf(old, 'shop-3');
    clock.advance(MSG_ID_TTL_MS - 30 * 60_000);
    const fresh = fake.textMessage('shop-3', '新');
    const freshMeta = metaOf(fresh, 'shop-3');
    clock.advance(40 * 60_000);
    expect((await sender().send(row({ text: 'x', replyTo: oldMeta }), conv('shop-3', freshMeta))).status).toBe('sent');
    expect(fake.sends.at(-1)?.msgId).toBe(fresh.serverMessageId);
    clock.advance(MSG_ID_TTL_MS);
    expect(await sender().send(row({ text: 'x', replyTo: oldMeta }), conv('shop-3', freshMeta))).toMatchObject({ status: 'held' });
  });

  it('the fake itself refuses an expired msg_id (window enforced on both sides)', async () => {
    const m = fake.textMessage('shop-4', 'hi');
    const client = createDouyinClient(config());
    clock.advance(MSG_ID_TTL_MS + 1000);
    await expect(
      client.sendText({ msgId: m.serverMessageId, conversationId: fake.conversationOf('shop-4'), toUserId: 'shop-4', scene: 'im_replay_msg', text: 'late' }),
    ).rejects.toBeInstanceOf(PlatformError);
    expect(fake.refusals.at(-1)?.reason).toMatch(/24 h/);
  });

  it('holds bot replies in human mode but lets agent replies through', async () => {
    const m = fake.textMessage('shop-5', 'hi');
    const c = conv('shop-5', metaOf(m, 'shop-5'), 'human');
    expect((await sender().send(row({ text: 'bot' }), c)).status).toBe('held');
    expect((await sender().send(row({ text: 'agent' }, 'agent'), c)).status).toBe('sent');
  });

  it('asks for a retry on each documented transient code, fails other codes for good, and gives up after MAX_TRANSIENT_TRIES', async () => {
    const m = fake.textMessage('shop-8', 'hi');
    const c = conv('shop-8', metaOf(m, 'shop-8'));
    for (const code of Object.values(TRANSIENT)) {
      fake.failNext.push(code);
      expect(await sender().send(row({ text: 'x' }), c)).toMatchObject({ status: 'retry', reason: expect.stringContaining(String(code)) });
    }
    fake.failNext.push(TRANSIENT.busy);
    const last = { ...row({ text: 'x' }), attempts: MAX_TRANSIENT_TRIES - 1 };
    expect(await sender().send(last, c)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/2100004.*gave up/) });
    fake.failNext.push(FAKE_CODES.badParam);
    expect((await sender().send(row({ text: 'x' }), c)).status).toBe('failed');
    expect(fake.failNext).toEqual([]);
  });

  it('fails with a hint on 28001003 (bad token) and 28001008 (expired, nothing to renew with; the last test that sends)', async () => {
    const m = fake.textMessage('shop-6', 'hi');
    const c = conv('shop-6', metaOf(m, 'shop-6'));
    const bad = await sender({ ...config(), accessToken: 'wrong' }).send(row({ text: 'x' }), c);
    expect(bad.status === 'failed' && bad.reason).toMatch(/28001003.*DOUYIN_ACCESS_TOKEN/);
    // 15 days later (the fake's token clock, so the msg_id stays fresh); no refresh token here: nothing to renew with.
    fake.tokens.expireAccessTokens();
    const expired = await sender().send(row({ text: 'x' }), c);
    expect(expired.status === 'failed' && expired.reason).toMatch(/28001008.*DOUYIN_REFRESH_TOKEN/);
    expect(fake.refusals.map((r) => r.code)).toEqual(expect.arrayContaining([TOKEN_INVALID, TOKEN_EXPIRED]));
    const text = await metrics.registry.getSingleMetricAsString('asa_errors_total');
    expect(text).toContain('code="douyin_28001008"');
  });

  it('asks for a retry on 5xx and on network failure', async () => {
    const m = fake.textMessage('shop-7', 'hi');
    const c = conv('shop-7', metaOf(m, 'shop-7'));
    const down = http.createServer((_req, res) => {
      res.statusCode = 503;
      res.end('busy');
    });
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    const port = (down.address() as AddressInfo).port;
    try {
      expect((await sender({ ...config(), apiBase: `http://127.0.0.1:${port}` }).send(row({ text: 'x' }), c)).status).toBe('retry');
    } finally {
      await new Promise<void>((r) => down.close(() => r()));
    }
    expect((await sender({ ...config(), apiBase: `http://127.0.0.1:${port}` }).send(row({ text: 'x' }), c)).status).toBe('retry');
  });

  it('renders choices and tail as numbered lines', () => {
    expect(renderText({ text: '请问', choices: [{ id: '1', label: '甲' }], tail: '回复数字即可' })).toBe('请问\n1. 甲\n回复数字即可');
  });
});
