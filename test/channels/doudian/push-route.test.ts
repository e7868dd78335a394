/** POST /webhooks/doudian with the fake pusher: ping, signature, malformed input, dedupe and enqueue. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AFTER_SALE_ID, ORDER_ID, SUB_ORDER_ID, afterSaleAppliedSkit, refundSucceededPush } from '../../fakes/doudian/fixtures.js';
import { DoudianPusher, doudianEventSign } from '../../fakes/doudian/pusher.js';
import { DD, startRig, type Rig } from '../douyin/rig.js';

let rig: Rig;
let pusher: DoudianPusher;

beforeAll(async () => {
  rig = await startRig();
  pusher = new DoudianPusher({ url: `${rig.baseUrl}/webhooks/doudian`, ...DD });
});
afterAll(() => rig.stop());

const queue = () => rig.services.queues.get('doudian-event');

describe('POST /webhooks/doudian', () => {
  it('answers the tag 0 ping with {"code":0} and enqueues nothing', async () => {
    const res = await pusher.ping();
    expect(res).toMatchObject({ status: 200, accepted: true });
    expect(JSON.parse(res.body)).toEqual({ code: 0, msg: 'success' });
    expect(await queue().getJobCounts()).toMatchObject({ waiting: 0 });
  });

  it('enqueues each push once, however often it is delivered', async () => {
    const msg = { tag: '206', msg_id: '7300000000000000001', data: { p_id: '111', s_id: '112', aftersale_id: '9001', refund_amount: 5000 } };
    const results = await Promise.all([pusher.push([msg]), pusher.push([msg]), pusher.push([msg])]);
    expect(results.every((r) => r.accepted)).toBe(true);
    expect((await pusher.push([msg, { tag: '102', msg_id: '7300000000000000002', data: { p_id: '111' } }])).accepted).toBe(true);
    const job = await queue().getJob('doudian-7300000000000000001');
    expect(job?.data).toEqual({ msgId: '7300000000000000001', tag: '206', data: JSON.stringify(msg.data) });
    const jobs = await queue().getJobs(['waiting', 'delayed', 'active', 'prioritized']);
    expect(jobs.map((j) => j.id).sort()).toEqual(['doudian-7300000000000000001', 'doudian-7300000000000000002']);
  });

  it('refuses a bad event-sign or a foreign app-id with 401', async () => {
    const msg = { tag: '200', msg_id: 'x1', data: {} };
    expect((await pusher.push([msg], { sign: '0'.repeat(32) })).status).toBe(401);
    expect((await pusher.push([msg], { sign: 'abc' })).status).toBe(401);
    expect((await pusher.push([msg], { appId: 'someone-else' })).status).toBe(401);
    expect(await queue().getJob('doudian-x1')).toBeUndefined();
  });

  it('refuses signed bodies that are not JSON or not push items with 400', async () => {
    for (const raw of ['[{"tag":', '[1,2]', '[{"msg_id":"no-tag"}]']) {
      const res = await pusher.push([], { raw, sign: doudianEventSign(DD.appKey, DD.appSecret, raw) });
      expect(res.status, raw).toBe(400);
    }
  });

  it('keeps 19-digit ids exact: the documented array with data as a JSON string (Go SDK shape)', async () => {
    const raw = refundSucceededPush('7300000000000000101', DD.shopId);
    expect(raw).toContain(`\\"aftersale_id\\":${AFTER_SALE_ID},`); // a bare JSON number, as 抖店 writes it
    expect(String(JSON.parse(JSON.parse(raw)[0].data).aftersale_id)).toBe('7302918391229184000'); // what JSON.parse makes of it
    expect((await pusher.push([], { raw })).accepted).toBe(true);
    const data = JSON.parse((await queue().getJob('doudian-7300000000000000101'))?.data.data ?? '{}');
    expect(data).toMatchObject({ aftersale_id: AFTER_SALE_ID, p_id: ORDER_ID, s_id: SUB_ORDER_ID, shop_id: DD.shopId, refund_amount: 15900 });
  });

  it('accepts a numeric tag, msgId and data as an object (SKIT sample shape)', async () => {
    const raw = afterSaleAppliedSkit('04288XXXXXXX9348874::100:1618990587:68373744XXXXXXX9128', ORDER_ID, DD.shopId);
    expect((await pusher.push([], { raw })).accepted).toBe(true);
    const jobs = await queue().getJobs(['waiting', 'delayed', 'prioritized']);
    const job = jobs.find((j) => j.data.msgId === '04288XXXXXXX9348874::100:1618990587:68373744XXXXXXX9128');
    expect(job?.data.tag).toBe('200');
    expect(JSON.parse(job?.data.data ?? '{}')).toMatchObject({ p_id: ORDER_ID, s_id: ORDER_ID, aftersale_id: AFTER_SALE_ID, refund_amount: 4990 });
    // The same through the pusher: numeric tag, object data.
    expect((await pusher.push([{ tag: 109, msg_id: 'm109-obj', data: { p_id: ORDER_ID, total_amount: 53800 } }], { dataAs: 'object' })).accepted).toBe(true);
    expect((await queue().getJob('doudian-m109-obj'))?.data).toEqual({ msgId: 'm109-obj', tag: '109', data: JSON.stringify({ p_id: ORDER_ID, total_amount: 53800 }) });
  });

  it('refuses a batch with an item whose data is not a JSON object, enqueuing none of it', async () => {
    const raw = JSON.stringify([
      { tag: '200', msg_id: 'ok-1', data: '{"p_id":1}' },
      { tag: '200', msg_id: 'bad-1', data: '{"p_id":' },
    ]);
    const res = await pusher.push([], { raw });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'bad_payload', message: 'push item 1: data is not a JSON object' } });
    expect(await queue().getJob('doudian-ok-1')).toBeUndefined();
  });

  it('refuses bodies over 64 KB with 413', async () => {
    const raw = JSON.stringify([{ tag: '200', msg_id: 'big', data: 'x'.repeat(70 * 1024) }]);
    expect((await pusher.push([], { raw })).status).toBe(413);
  });

  it('accepts and enqueues unknown tags (recorded by the worker)', async () => {
    expect((await pusher.push([{ tag: '999', msg_id: 'u1', data: {} }])).accepted).toBe(true);
    expect((await queue().getJob('doudian-u1'))?.data.tag).toBe('999');
  });
});
