/**
 * Acceptance, end to end: the whole app (web + workers, real Redis and SQLite) between the fake Douyin
 * platform and the fake 抖店 API. The reply wording belongs to the bot; these tests assert which msg_id is
 * answered and how many replies reach the platform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refundOutboxKey } from '../../../src/channels/doudian/after-sale.js';
import { replyToCase } from '../../../src/handoff/actions.js';
import { FakeDoudian } from '../../fakes/doudian/server.js';
import { DoudianPusher } from '../../fakes/doudian/pusher.js';
import { FakeDouyin } from '../../fakes/douyin/server.js';
import { DouyinWebhookSender } from '../../fakes/douyin/webhook-sender.js';
import { renderTemplate } from '../../../templates/render.js';
import { startHarness, waitFor, type Harness } from '../../helpers/harness.js';
import { DD, DY } from './rig.js';

let app: Harness;
let dy: FakeDouyin;
let dd: FakeDoudian;
let pusher: DoudianPusher;
/** The fake platform's clock runs this far ahead of ours (a skewed or forged create_time). */
let skewMs = 0;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4096, 3)]);

beforeAll(async () => {
  dy = await FakeDouyin.start({ ...DY, clock: { now: () => Date.now() + skewMs } });
  dd = await FakeDoudian.start(DD);
  app = await startHarness({
    env: {
      DOUYIN_CLIENT_KEY: DY.clientKey,
      DOUYIN_CLIENT_SECRET: DY.clientSecret,
      DOUYIN_ACCESS_TOKEN: DY.accessToken,
      DOUYIN_BUSINESS_OPEN_ID: DY.businessOpenId,
      DOUYIN_API_BASE: dy.baseUrl,
      DOUDIAN_APP_KEY: DD.appKey,
      DOUDIAN_APP_SECRET: DD.appSecret,
      DOUDIAN_SHOP_ID: DD.shopId,
      DOUDIAN_ACCESS_TOKEN: DD.accessToken,
      DOUDIAN_API_BASE: dd.baseUrl,
    },
  });
  if (!app.services.senders.douyin || !app.services.hydrators.douyin) {
    throw new Error(
      'src/app.ts does not wire the Douyin/抖店 channel yet: createDouyinChannel (sender + hydrator), douyinRoutes, doudianRoutes, doudianEventProcessor',
    );
  }
  dy.setWebhook(`${app.baseUrl}/webhooks/douyin`);
  pusher = new DoudianPusher({ url: `${app.baseUrl}/webhooks/doudian`, ...DD });
});
afterAll(async () => {
  await dy?.stop();
  await dd?.stop();
  await app?.stop();
});

/** Waits until every inbox row of the customer is handled and no reply is pending, then a little longer. */
async function settled(openId: string): Promise<void> {
  const { store } = app.services;
  await waitFor(async () => {
    const conv = await store.findConversation('douyin', openId);
    if (!conv) return false;
    const rows = await store.listInbound(conv.id, 100);
    const pending = await store.listOutbound({ conversationId: conv.id, status: 'pending' });
    return rows.length > 0 && rows.every((r) => r.status !== 'pending') && pending.length === 0;
  }, { what: `conversation of ${openId} settled` });
  await Promise.allSettled(dy.echoes);
}

describe('Douyin end to end', () => {
  it('answers a text with its msg_id once, despite retries and duplicates, and ignores our echo', async () => {
    const event = dy.textMessage('e2e-text', '我要退货');
    // A slow store makes the platform's (shortened) timeout cut the first attempt: it retries while we work.
    const ingest = app.services.ingest;
    // The store takes 3 s; the platform gives up after 1 s (a margin that holds on a loaded 2-core machine).
    app.services.ingest = async (messages) => {
      await new Promise((r) => setTimeout(r, 3000));
      return ingest(messages);
    };
    try {
      const impatient = new DouyinWebhookSender({ url: `${app.baseUrl}/webhooks/douyin`, clientSecret: DY.clientSecret, timeoutMs: 1000, retryDelayMs: 5 });
      const retried = await impatient.deliver(event.envelope, event.msgId);
      expect(retried.attempts.length).toBeGreaterThan(1);
      expect(retried.ok).toBe(true);
    } finally {
      app.services.ingest = ingest;
    }
    const report = await dy.deliver(event, { concurrent: 2, duplicates: 2, contentAsString: true });
    expect(report.deliveries.flat().every((a) => a.status === 200)).toBe(true);

    await waitFor(() => dy.sendsTo('e2e-text').length > 0, { what: 'a reply' });
    await settled('e2e-text');
    expect(dy.sendsTo('e2e-text')).toEqual([
      expect.objectContaining({ msgId: event.serverMessageId, conversationId: dy.conversationOf('e2e-text'), scene: 'im_replay_msg' }),
    ]);
    const conv = await app.services.store.findConversation('douyin', 'e2e-text');
    expect(conv?.mode).toBe('bot');
    const rows = await app.services.store.listInbound(conv?.id ?? '', 10);
    expect(rows.map((r) => r.platformMsgId)).toEqual([event.serverMessageId]);
  });

  it('stores a photo as evidence and answers the photo msg_id', async () => {
    const photo = await dy.customerSendsImage('e2e-photo', JPEG);
    expect(photo.report.ok).toBe(true);
    await waitFor(() => dy.sendsTo('e2e-photo').length > 0, { what: 'a reply to the photo' });
    await settled('e2e-photo');
    expect(dy.sendsTo('e2e-photo').map((s) => s.msgId)).toEqual([photo.serverMessageId]);
    const conv = await app.services.store.findConversation('douyin', 'e2e-photo');
    const evidence = await app.services.store.listEvidence({ conversationId: conv?.id ?? '' });
    expect(evidence).toEqual([expect.objectContaining({ kind: 'image', mime: 'image/jpeg', size: JPEG.length, source: photo.serverMessageId })]);
  });

  it('a photo whose download stalls does not hold the conversation: asked again once, the next text answered', async () => {
    dy.hangMedia = true;
    try {
      const photo = await dy.customerSendsImage('e2e-stall', JPEG);
      const text = dy.textMessage('e2e-stall', '衣服开线了');
      expect((await dy.deliver(text)).ok).toBe(true);
      await settled('e2e-stall');
      const conv = await app.services.store.findConversation('douyin', 'e2e-stall');
      const rows = await app.services.store.listInbound(conv?.id ?? '', 10);
      expect(rows.map((r) => r.status)).toEqual(['processed', 'processed']);
      expect(await app.services.store.listEvidence({ conversationId: conv?.id ?? '' })).toEqual([]);
      const answered = dy.sendsTo('e2e-stall').map((s) => s.msgId);
      expect(answered.filter((id) => id === text.serverMessageId).length).toBeGreaterThan(0);
      // The notice reaches the shopper, once, answering the photo's msg_id: it leaves through the drain after the
      // photo opened the reply window (written beside it, it could be sent before and be held as out of window).
      const notKept = renderTemplate(app.services.data.templates, 'douyin.photo.not_kept');
      expect(dy.sendsTo('e2e-stall').filter((s) => s.text === notKept).map((s) => s.msgId)).toEqual([photo.serverMessageId]);
      const resend = await app.services.store.listOutbound({ conversationId: conv?.id ?? '' });
      expect(resend.filter((o) => o.reply.text === notKept).map((o) => o.status)).toEqual(['sent']);
      expect(photo.report.ok).toBe(true);
    } finally {
      dy.hangMedia = false;
    }
  });

  it('a platform time far in the future is clamped: the messages after it are still answered', async () => {
    skewMs = 30 * 24 * 3600 * 1000;
    const ahead = dy.textMessage('e2e-future', '在吗');
    skewMs = 0;
    expect((await dy.deliver(ahead)).ok).toBe(true);
    await settled('e2e-future');
    const next = dy.textMessage('e2e-future', '我的杯子漏水了');
    expect((await dy.deliver(next)).ok).toBe(true);
    await settled('e2e-future');
    const conv = await app.services.store.findConversation('douyin', 'e2e-future');
    const rows = await app.services.store.listInbound(conv?.id ?? '', 10);
    expect(rows.map((r) => r.status)).toEqual(['processed', 'processed']);
    expect(rows[0]?.message.meta.platformSentAt).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
    expect(dy.sendsTo('e2e-future').some((s) => s.msgId === next.serverMessageId)).toBe(true);
  });

  it('greets an enter event with the im_enter_direct_msg scene', async () => {
    const enter = dy.enterEvent('e2e-enter');
    expect((await dy.deliver(enter, { contentAsString: true })).ok).toBe(true);
    await waitFor(() => dy.sendsTo('e2e-enter').length > 0, { what: 'a greeting' });
    expect(dy.sendsTo('e2e-enter')[0]).toMatchObject({ msgId: enter.serverMessageId, scene: 'im_enter_direct_msg' });
  });

  it("a console agent who took over answers the customer's latest msg_id; the bot stays quiet", async () => {
    const { store } = app.services;
    const u = await store.createUser({ username: `dy-agent-${Date.now()}`, displayName: '小李', role: 'agent', passwordHash: 'x' });
    await store.updateUser(u.id, { online: true, capacity: 50 });
    await dy.customerSays('e2e-console', '我要找人工客服');
    const kase = await waitFor(async () => (await store.listCases({ status: 'assigned', assignee: u.id })).items[0], { what: 'case assigned' });
    await settled('e2e-console');
    const notices = dy.sendsTo('e2e-console').length;
    const later = await dy.customerSays('e2e-console', '衣服开线了，麻烦快点');
    await settled('e2e-console');
    expect(dy.sendsTo('e2e-console')).toHaveLength(notices);
    await replyToCase(app.services, { id: u.id, role: 'agent', name: '小李' }, kase.id, '您好，我是客服小李，马上为您处理');
    await waitFor(() => dy.sendsTo('e2e-console').length > notices, { what: "the agent's reply" });
    expect(dy.sendsTo('e2e-console').at(-1)).toMatchObject({ msgId: later.serverMessageId, text: '您好，我是客服小李，马上为您处理' });
  });

  it('goes quiet after a person answers from the Douyin app', async () => {
    const first = await dy.customerSays('e2e-human', '质量有问题');
    await waitFor(() => dy.sendsTo('e2e-human').length > 0, { what: 'the first reply' });
    await settled('e2e-human');
    expect((await dy.agentTypes('e2e-human', '您好，我是客服小李')).report.ok).toBe(true);
    await settled('e2e-human');
    const conv = await app.services.store.findConversation('douyin', 'e2e-human');
    expect(conv?.mode).toBe('human');

    await dy.customerSays('e2e-human', '好的，图片发你了吗');
    await settled('e2e-human');
    expect(dy.sendsTo('e2e-human').map((s) => s.msgId)).toEqual([first.serverMessageId]);
  });

  it('rejects hostile input with 401/400/413 and never crashes', async () => {
    const url = `${app.baseUrl}/webhooks/douyin`;
    const bad = await fetch(url, { method: 'POST', headers: { 'x-douyin-signature': 'f'.repeat(40) }, body: '{"event":"im_receive_msg"}' });
    expect(bad.status).toBe(401);
    const { signDouyin } = await import('../../fakes/douyin/webhook-sender.js');
    const broken = '{"event":';
    expect((await fetch(url, { method: 'POST', headers: { 'x-douyin-signature': signDouyin(DY.clientSecret, broken) }, body: broken })).status).toBe(400);
    expect((await fetch(url, { method: 'POST', body: 'x'.repeat(65 * 1024) })).status).toBe(413);
    const odd = { event: 'contract_authorize', from_user_id: 'e2e-odd', content: {} };
    expect((await dy.webhook?.deliver(odd, 'mid-odd'))?.ok).toBe(true);
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe('抖店 push end to end', () => {
  it('refund succeeded for an order with an open case: case resolved and the customer told in the window', async () => {
    const said = await dy.customerSays('e2e-refund', '订单 5100000000000000001 要退款');
    await waitFor(() => dy.sendsTo('e2e-refund').length > 0, { what: 'the first reply' });
    await settled('e2e-refund');
    const { store } = app.services;
    const conv = await store.findConversation('douyin', 'e2e-refund');
    if (!conv) throw new Error('no conversation');
    const kase = await store.createCase({ channel: 'douyin', customerId: conv.customerId, conversationId: conv.id, orderId: '5100000000000000001', status: 'open' });

    expect((await pusher.ping()).accepted).toBe(true);
    const msg = { tag: '206', msg_id: '7400000000000000001', data: { p_id: '5100000000000000001', s_id: '5100000000000000002', shop_id: Number(DD.shopId), aftersale_id: '9101', refund_amount: 8800 } };
    expect((await pusher.push([msg])).accepted).toBe(true);
    expect((await pusher.push([msg])).accepted).toBe(true);

    await waitFor(() => dy.sendsTo('e2e-refund').length > 1, { what: 'the refund message' });
    await waitFor(async () => (await store.getCase(kase.id))?.status === 'resolved', { what: 'case resolved' });
    await settled('e2e-refund');
    const sends = dy.sendsTo('e2e-refund');
    expect(sends).toHaveLength(2);
    expect(sends[1]).toMatchObject({ msgId: said.serverMessageId });
    expect(sends[1]?.text).toContain('88.00');
    expect((await store.getOutbound(refundOutboxKey(msg.msg_id)))?.status).toBe('sent');
    expect((await store.getCase(kase.id))?.data).toMatchObject({ resolvedBy: 'doudian', afterSale: { tag: '206' } });
  });
});
