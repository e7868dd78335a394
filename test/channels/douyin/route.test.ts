/** POST /webhooks/douyin against hostile and duplicate input, with the real store, Redis and ingest. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DouyinWebhookSender, signDouyin } from '../../fakes/douyin/webhook-sender.js';
import { FakeDouyin } from '../../fakes/douyin/server.js';
import { claimKey } from '../../../src/queues/claim.js';
import { DY, startRig, type Rig } from './rig.js';

let rig: Rig;
let fake: FakeDouyin;
let sender: DouyinWebhookSender;

beforeAll(async () => {
  rig = await startRig();
  fake = await FakeDouyin.start({ ...DY, webhookUrl: `${rig.baseUrl}/webhooks/douyin` });
  sender = fake.webhook as DouyinWebhookSender;
});
afterAll(async () => {
  await fake.stop();
  await rig.stop();
});

const post = (body: string | Buffer, headers: Record<string, string>) =>
  fetch(`${rig.baseUrl}/webhooks/douyin`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

async function rejected(reason: string): Promise<number> {
  const text = await rig.services.metrics.registry.getSingleMetricAsString('asa_webhook_rejected_total');
  const line = text.split('\n').find((l) => l.includes(`reason="${reason}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('POST /webhooks/douyin', () => {
  it('answers the verification challenge, signed or not', async () => {
    expect(await sender.verify(12345)).toEqual({ status: 200, body: '{"challenge":12345}' });
    expect(await sender.verify(777, { signed: false })).toEqual({ status: 200, body: '{"challenge":777}' });
  });

  it('refuses bad, short, missing signatures with 401 and counts them', async () => {
    const event = fake.textMessage('cust-401', '你好');
    const good = signDouyin(DY.clientSecret, JSON.stringify(event.envelope));
    for (const signature of ['0'.repeat(40), good.slice(0, 10), `${good}ab`, null]) {
      const r = await sender.deliver(event.envelope, event.msgId, { signature });
      expect(r.attempts.every((a) => a.status === 401)).toBe(true);
    }
    expect(await rig.inbound('cust-401')).toEqual([]);
    expect(await rejected('bad_signature')).toBeGreaterThanOrEqual(3);
  });

  it('refuses a signed body that is not JSON with 400', async () => {
    const raw = '{"event": "im_receive_msg", ';
    const res = await post(raw, { 'x-douyin-signature': signDouyin(DY.clientSecret, raw) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_json');
  });

  it('refuses bodies over 64 KB with 413, declared or streamed', async () => {
    const big = JSON.stringify({ event: 'im_receive_msg', pad: 'x'.repeat(64 * 1024) });
    const res = await post(big, { 'x-douyin-signature': signDouyin(DY.clientSecret, big) });
    expect(res.status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 70; i++) c.enqueue(new Uint8Array(1024).fill(120));
        c.close();
      },
    });
    const chunked = await fetch(`${rig.baseUrl}/webhooks/douyin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-douyin-signature': '0'.repeat(40) },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('records unknown events and unknown message types, answering 200', async () => {
    const unknownEvent = { event: 'im_group_receive_msg', from_user_id: 'cust-u', to_user_id: DY.businessOpenId, content: { server_message_id: '@g1' } };
    expect((await sender.deliver(unknownEvent, 'mid-unknown-1')).ok).toBe(true);
    const odd = fake.otherMessage('cust-u', 'hologram');
    expect((await fake.deliver(odd)).ok).toBe(true);
    const inbox = await rig.services.store.findInbound('douyin', 'im_group_receive_msg:mid-unknown-1');
    expect(inbox?.message.event).toEqual({ type: 'unknown', data: { event: 'im_group_receive_msg' } });
    expect((await rig.services.store.findInbound('douyin', odd.serverMessageId))?.message.kind).toBe('unknown');
  });

  it('stores one inbox row for retries, duplicates, concurrent copies and both content shapes', async () => {
    const event = fake.textMessage('cust-dup', '快递还没到');
    const first = await fake.deliver(event, { concurrent: 2, duplicates: 2 });
    expect(first.deliveries.flat().every((a) => a.status === 200)).toBe(true);
    // A redelivery with the other content shape and no Msg-Id still lands on the same inbox row.
    expect((await fake.deliver(event, { contentAsString: true, msgId: null })).ok).toBe(true);
    const rows = await rig.services.store.listInbound(
      (await rig.services.store.findConversation('douyin', 'cust-dup'))?.id ?? '',
      10,
    );
    expect(rows.map((r) => r.platformMsgId)).toEqual([event.serverMessageId]);
  });

  it('ignores our own echo and records a person typing in the app as an agent message', async () => {
    const echo = fake.agentMessage('cust-echo', '您好', DY.clientKey);
    expect((await fake.deliver(echo)).ok).toBe(true);
    expect(await rig.inbound('cust-echo')).toEqual([]);
    const typed = await fake.agentTypes('cust-echo', '我来处理');
    expect(typed.report.ok).toBe(true);
    const rows = await rig.inbound('cust-echo');
    expect(rows.map((r) => r.message)).toEqual([expect.objectContaining({ from: 'agent', platformUserId: 'cust-echo', platformMsgId: typed.serverMessageId })]);
  });

  it('lets the platform retry when ingest fails (the dedupe key is released)', async () => {
    const event = fake.textMessage('cust-retry', '在吗');
    const original = rig.services.ingest;
    let calls = 0;
    rig.services.ingest = async (messages) => {
      calls++;
      if (calls === 1) throw new Error('store down');
      return original(messages);
    };
    try {
      const report = await fake.deliver(event);
      expect(report.attempts.map((a) => a.status)).toEqual([500, 200]);
    } finally {
      rig.services.ingest = original;
    }
    expect(await rig.services.store.findInbound('douyin', event.serverMessageId)).not.toBeNull();
  });

  it('a retry during a slow first delivery is answered only once the row is stored', async () => {
    const event = fake.textMessage('cust-slow', '慢');
    const original = rig.services.ingest;
    rig.services.ingest = async (messages) => {
      await new Promise((r) => setTimeout(r, 300));
      return original(messages);
    };
    try {
      const impatient = new DouyinWebhookSender({ url: `${rig.baseUrl}/webhooks/douyin`, clientSecret: DY.clientSecret, timeoutMs: 200, retryDelayMs: 5 });
      const report = await impatient.deliver(event.envelope, event.msgId);
      expect(report.attempts[0]?.timedOut).toBe(true);
      expect(report.ok).toBe(true);
      expect(await rig.services.store.findInbound('douyin', event.serverMessageId)).not.toBeNull();
    } finally {
      rig.services.ingest = original;
    }
  });

  it('asks the platform to retry (503) when the first delivery of the same Msg-Id never finishes', async () => {
    const event = fake.textMessage('cust-stuck', '卡住');
    // As if another process claimed this delivery and then hung.
    await rig.services.redis.set(claimKey(rig.services.config.queuePrefix, 'douyin', event.msgId), 'pending', 'EX', 30);
    const raw = JSON.stringify(event.envelope);
    const res = await post(raw, { 'x-douyin-signature': signDouyin(DY.clientSecret, raw), 'msg-id': event.msgId });
    expect(res.status).toBe(503);
    expect(await rig.services.store.findInbound('douyin', event.serverMessageId)).toBeNull();
  });
});
