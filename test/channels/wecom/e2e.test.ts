/**
 * Acceptance, end to end: the whole app (HTTP + workers, real Redis and SQLite) between a fake WeCom that
 * calls back like WeCom (encrypted, signed, retried, duplicated) and the fake kf API. The reply wording
 * belongs to the bot; these tests assert that replies reach the customer through the platform, once.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from '../../helpers/harness.js';
import { CallbackSender, startFakeWecom, type FakeWecom } from '../../fakes/wecom/index.js';
import { JPEG, KF, SECRET, VECTOR, wecomEnv } from './env.js';
import { retakeEvent } from './fixtures.js';
import { conversationSettled } from './settle.js';

let app: Harness;
let fake: FakeWecom;
let sender: CallbackSender;
const USER = 'wmE2E00001';

beforeAll(async () => {
  fake = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, openKfIds: [KF] });
  app = await startHarness({ env: wecomEnv(fake.baseUrl) });
  // Every callback is sent twice at once (duplicate mode) and retried when not answered within 2 s.
  sender = new CallbackSender({ url: `${app.baseUrl}/webhooks/wecom`, corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key, retryAfterMs: 2000, duplicates: 1 });
  fake.connect(sender);
});
afterAll(async () => {
  await fake?.close();
  await app?.stop();
});

const sentTo = () => fake.sent.filter((m) => m.touser === USER);

/** At least `rows` inbox rows, every one handled, and no reply pending. */
const settled = (user = USER, rowCount = 1): Promise<void> => conversationSettled(fake, app.services.store, `${KF}:${user}`, rowCount);

describe('WeCom end to end', () => {
  it('verifies the callback URL', async () => {
    const out = await sender.verifyUrl();
    expect(out).toMatchObject({ status: 200, body: out.expected });
  });

  it('welcomes, answers text, photo and order card through send_msg, stores the photo once, refreshes the token once', async () => {
    fake.enter(KF, USER);
    await waitFor(() => sentTo().length >= 1, { what: 'welcome' });
    expect(sentTo()[0]).toMatchObject({ via: 'send_msg_on_event' });
    await settled(USER, 1);

    // How many replies the bot gives is its business; each customer message must get at least one.
    let seen = sentTo().length;
    const replied = async (what: string, rowCount: number): Promise<void> => {
      await waitFor(() => sentTo().length > seen, { what });
      await settled(USER, rowCount);
      seen = sentTo().length;
    };

    const text = fake.customerText(KF, USER, '我买的保温杯漏水了');
    await replied('text reply', 2);

    const tokensBefore = fake.gettokenCalls;
    fake.server.expireTokenNow();
    const photo = fake.customerMedia(KF, USER, 'image', JPEG);
    await replied('photo reply', 3);
    expect(fake.gettokenCalls - tokensBefore).toBe(1);

    const order = fake.customerSends(KF, USER, 'channels_shop_order', {
      order_id: '3719283746501',
      product_titles: '保温杯 500ml',
      price_wording: '¥59.00',
      state: '已签收',
      image_url: '',
      shop_nickname: '本店',
    });
    await replied('order reply', 4);

    // A platform whose patience (1 ms) cuts every attempt re-sends the identical body 3 times while we work.
    const impatient = new CallbackSender({ url: `${app.baseUrl}/webhooks/wecom`, corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key, retryAfterMs: 1 });
    const cut = await impatient.deliver(KF, fake.callbackToken(KF));
    expect(cut.attempts).toHaveLength(4);
    await sender.deliver(KF, fake.callbackToken(KF));
    await settled(USER, 4);

    const { store } = app.services;
    const conv = (await store.findConversation('wecom', `${KF}:${USER}`))!;
    const rows = await store.listInbound(conv.id, 100);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.platformMsgId)).size).toBe(4);
    expect(rows.find((r) => r.platformMsgId === text)?.message.kind).toBe('text');
    expect(rows.find((r) => r.platformMsgId === order)?.message).toMatchObject({ kind: 'order', orderId: '3719283746501' });

    const image = rows.find((r) => r.platformMsgId === photo.msgid)?.message.attachments[0];
    expect(image?.sha256).toBe(createHash('sha256').update(JPEG).digest('hex'));
    expect(fake.mediaDownloads(photo.mediaId)).toBe(1);
    const stored = await store.readEvidence(image?.evidenceId ?? '');
    expect(stored?.equals(JPEG)).toBe(true);

    const replies = sentTo();
    expect(replies.slice(1).every((r) => r.via === 'send_msg')).toBe(true);
    expect(new Set(replies.map((r) => r.msgid)).size).toBe(replies.length);
    // Every platform message is one of our sent outbox rows (a long text goes out as key_1, key_2, …).
    const sentKeys = (await store.listOutbound({ conversationId: conv.id, status: 'sent' })).map((o) => o.key);
    for (const r of replies) expect(sentKeys.some((k) => r.msgid === k || r.msgid.startsWith(`${k}_`))).toBe(true);
    expect(sentKeys.length).toBeGreaterThanOrEqual(4);
    expect(fake.refusals).toEqual([]);
    expect(sender.deliveries.every((d) => d.acked && d.attempts.length === 1)).toBe(true);
  });

  it('stays silent while a person has the session and answers again after it ended', async () => {
    const user = 'wmE2E00002';
    const to = () => fake.sent.filter((m) => m.touser === user);
    fake.customerText(KF, user, '你好');
    await waitFor(() => to().length >= 1, { what: 'first reply' });
    await settled(user, 1);
    const before = to().length;

    fake.servicerTakes(KF, user, 'zhangsan');
    fake.servicerText(KF, user, 'zhangsan', '您好，我是客服小张');
    fake.customerText(KF, user, '好的，麻烦你了');
    await settled(user, 4);
    const conv = (await app.services.store.findConversation('wecom', `${KF}:${user}`))!;
    expect(conv.mode).toBe('human');
    expect(to()).toHaveLength(before);

    fake.endSession(KF, user);
    fake.customerText(KF, user, '还有一个问题');
    await waitFor(() => to().length > before, { what: 'bot back after the session ended' });
    await settled(user, 6);
    expect(fake.refusals).toEqual([]);
  });

  it('goes quiet again when a servicer re-takes an ended session (change_type 4), as for a takeover', async () => {
    const user = 'wmE2E00003';
    const to = () => fake.sent.filter((m) => m.touser === user);
    fake.customerText(KF, user, '你好');
    await waitFor(() => to().length >= 1, { what: 'first reply' });
    await settled(user, 1);
    fake.servicerTakes(KF, user, 'zhangsan');
    fake.endSession(KF, user);
    await settled(user, 3);
    expect((await app.services.store.findConversation('wecom', `${KF}:${user}`))?.mode).toBe('bot');

    const retake = fake.servicerRetakes(KF, user, 'zhangsan');
    expect(retake).toMatchObject(retakeEvent(KF, user, 'zhangsan', 'zhangsan'));
    await settled(user, 4);
    const before = to().length;
    fake.customerText(KF, user, '刚才的问题还没说完');
    await settled(user, 5);
    const conv = (await app.services.store.findConversation('wecom', `${KF}:${user}`))!;
    expect(conv.mode).toBe('human');
    expect(conv.meta.wecomState).toBe('servicer');
    const rows = await app.services.store.listInbound(conv.id, 100);
    expect(rows.find((r) => r.platformMsgId === retake.msgid)?.message.event).toMatchObject({ type: 'human_took_over', data: { changeType: 4 } });
    expect(to()).toHaveLength(before);
    expect(fake.refusals).toEqual([]);
  });

  it('answers hostile callbacks with 4xx, counted in /metrics, and keeps working', async () => {
    const url = `${app.baseUrl}/webhooks/wecom`;
    const good = sender.seal(sender.kfEventXml(KF, fake.callbackToken(KF)));
    const forged = good.query.replace(/msg_signature=[0-9a-f]{40}/, `msg_signature=${'0'.repeat(40)}`);
    expect((await fetch(`${url}?${forged}`, { method: 'POST', body: good.body })).status).toBe(401);
    const foreign = sender.seal(sender.kfEventXml(KF, 'ENCforeign'), { receiveId: 'wwEvilCorp' });
    expect((await fetch(`${url}?${foreign.query}`, { method: 'POST', body: foreign.body })).status).toBe(401);
    const xxe = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>';
    expect((await fetch(`${url}?${good.query}`, { method: 'POST', body: xxe })).status).toBe(400);
    expect((await fetch(`${url}?${good.query}`, { method: 'POST', body: Buffer.alloc(70_000, 60) })).status).toBe(413);

    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    for (const reason of ['signature', 'receive_id', 'doctype', 'body_too_large']) {
      expect(metrics).toMatch(new RegExp(`asa_webhook_rejected_total\\{[^}]*reason="${reason}"[^}]*\\} 1`));
    }
    expect((await fetch(`${url}?${good.query}`, { method: 'POST', body: good.body })).status).toBe(200);
  });
});
