/** The 'doudian-event' processor against the real SQLite store and Redis queues. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doudianEventProcessor } from '../../../handlers/jobs/doudian-event.js';
import { createDoudianChannel } from '../../../src/channels/doudian/index.js';
import { readOrderEvents } from '../../../src/channels/doudian/order-events.js';
import { readUnknownTag } from '../../../src/channels/doudian/unknown-tags.js';
import type { CaseStatus } from '../../../src/core/types.js';
import { specialRefundSucceededData } from '../../fakes/doudian/fixtures.js';
import { startRig, DD, type Rig } from '../douyin/rig.js';

let rig: Rig;
let run: ReturnType<typeof doudianEventProcessor>;

beforeAll(async () => {
  rig = await startRig();
  run = doudianEventProcessor(rig.services, createDoudianChannel(rig.services).client);
});
afterAll(() => rig.stop());

async function openCase(openId: string, orderId: string, status: CaseStatus = 'open') {
  const { store } = rig.services;
  const customer = await store.upsertCustomer({ channel: 'douyin', platformUserId: openId });
  const conv = await store.getOrCreateConversation({ channel: 'douyin', key: openId, customerId: customer.id });
  return store.createCase({ channel: 'douyin', customerId: customer.id, conversationId: conv.id, orderId, status, category: 'quality' });
}
const push = (msgId: string, tag: string, data: Record<string, unknown>) => run({ data: { msgId, tag, data: JSON.stringify(data) } });

describe('抖店 after-sale pushes', () => {
  it('refund succeeded: updates and resolves the case, tells the customer, once', async () => {
    const kase = await openCase('dd-cust-1', '5000000000000000001');
    const data = { p_id: '5000000000000000001', s_id: '5000000000000000002', shop_id: Number(DD.shopId), aftersale_id: '8001', aftersale_status: 12, aftersale_type: 1, refund_amount: 12900 };
    await push('m206-1', '206', data);
    await push('m206-1', '206', data); // BullMQ is at-least-once

    const after = await rig.services.store.getCase(kase.id);
    expect(after).toMatchObject({ status: 'resolved', resolution: 'refund' });
    expect(after?.data).toMatchObject({
      afterSale: { tag: '206', tagName: 'refund_succeeded', afterSaleId: '8001', status: 12, refundAmountFen: 12900, msgId: 'm206-1' },
      resolvedBy: 'doudian',
      refundSucceededAt: expect.any(String),
    });
    const events = await rig.services.store.listCaseEvents(kase.id);
    expect(events.map((e) => e.type).sort()).toEqual(['doudian_after_sale', 'resolved']);

    const outbox = await rig.services.store.getOutbound('doudian-m206-1');
    expect(outbox).toMatchObject({ author: 'system', caseId: kase.id, conversationId: kase.conversationId, channel: 'douyin', status: 'pending' });
    expect(outbox?.reply.text).toContain('129.00');
    expect(outbox?.reply.replyTo).toBeUndefined();
    expect(await rig.services.queues.get('send').getJob('send-doudian-m206-1')).toBeDefined();
    expect(await rig.services.store.listOutbound({ conversationId: kase.conversationId })).toHaveLength(1);
  });

  it('matches the case by sub order id and keeps a late non-terminal push from hiding 退款成功', async () => {
    const kase = await openCase('dd-cust-2', '6000000000000000002', 'assigned');
    await push('m206-2', '206', { p_id: '6000000000000000001', s_id: '6000000000000000002', aftersale_id: '8002', refund_amount: 100 });
    await push('m201-2', '201', { p_id: '6000000000000000001', s_id: '6000000000000000002', aftersale_id: '8002', aftersale_status: 7 });
    const after = await rig.services.store.getCase(kase.id);
    expect(after?.status).toBe('resolved');
    expect((after?.data.afterSale as { tag: string }).tag).toBe('206');
    expect((await rig.services.store.listCaseEvents(kase.id)).filter((e) => e.type === 'doudian_after_sale')).toHaveLength(2);
  });

  it('refund succeeded on an approved case: one refund step by 抖店 with the refunded amount, then resolved, also when redelivered', async () => {
    const kase = await openCase('dd-cust-step', '5100000000000000001', 'approved');
    const data = { p_id: '5100000000000000001', s_id: '5100000000000000002', shop_id: Number(DD.shopId), aftersale_id: '8101', aftersale_status: 12, aftersale_type: 0, refund_amount: 15900 };
    await push('m206-step', '206', data);
    await push('m206-step', '206', data);
    const after = await rig.services.store.getCase(kase.id);
    expect(after?.status).toBe('resolved');
    expect(after?.steps).toEqual([expect.objectContaining({ kind: 'refund_issued', by: 'doudian', amountYuan: 159, key: 'doudian-m206-step' })]);
    const events = await rig.services.store.listCaseEvents(kase.id);
    expect(events.map((e) => e.type).sort()).toEqual(['doudian_after_sale', 'resolved', 'step']);
    // The shopper hears the refund once: the push's own message, not a second one for the step.
    expect(await rig.services.store.listOutbound({ conversationId: kase.conversationId })).toHaveLength(1);
  });

  it('does not message the customer of a closed case', async () => {
    const kase = await openCase('dd-cust-3', '7000000000000000003', 'closed');
    await push('m206-3', '206', { p_id: '7000000000000000003', aftersale_id: '8003' });
    expect(await rig.services.store.getOutbound('doudian-m206-3')).toBeNull();
    expect((await rig.services.store.getCase(kase.id))?.data.refundSucceededAt).toEqual(expect.any(String));
  });

  it('records other after-sale tags on the case without messaging', async () => {
    const kase = await openCase('dd-cust-4', '8000000000000000004');
    await push('m200-4', '200', { p_id: '8000000000000000004', aftersale_id: '8004', aftersale_status: 6, refund_amount: 500 });
    const after = await rig.services.store.getCase(kase.id);
    expect(after).toMatchObject({ status: 'open', data: { afterSale: { tag: '200', status: 6 } } });
    expect(await rig.services.store.getOutbound('doudian-m200-4')).toBeNull();
  });

  it('225 特殊权益退款成功 runs the refund-succeeded flow (Go SDK fixture, ids as int64 numbers)', async () => {
    const kase = await openCase('dd-cust-225', '4705288465508532901');
    const data = specialRefundSucceededData('4705288465508532901', DD.shopId);
    await run({ data: { msgId: 'm225-1', tag: '225', data } });
    const after = await rig.services.store.getCase(kase.id);
    expect(after).toMatchObject({ status: 'resolved', data: { resolvedBy: 'doudian', afterSale: { tag: '225', tagName: 'special_refund_succeeded', afterSaleId: '7302918391229183987', refundAmountFen: 2300 } } });
    expect((await rig.services.store.getOutbound('doudian-m225-1'))?.reply.text).toContain('23.00');
  });

  it('reads the refund amount from real_refund_amount, then refund_total_amount, then refund_amount', async () => {
    const a = await openCase('dd-cust-amt-1', '4705288465508532911');
    await push('m206-amt-1', '206', { p_id: '4705288465508532911', aftersale_id: '1', refund_total_amount: 9900, real_refund_amount: 9500, refund_amount: 1 });
    expect((await rig.services.store.getCase(a.id))?.data.afterSale).toMatchObject({ refundAmountFen: 9500 });
    expect((await rig.services.store.getOutbound('doudian-m206-amt-1'))?.reply.text).toContain('95.00');
    const b = await openCase('dd-cust-amt-2', '4705288465508532912');
    await push('m206-amt-2', '206', { p_id: '4705288465508532912', aftersale_id: '2', refund_total_amount: 9900 });
    expect((await rig.services.store.getCase(b.id))?.data.afterSale).toMatchObject({ refundAmountFen: 9900 });
  });

  it('records an after-sale tag it does not know on the case and as an unknown tag, without messaging', async () => {
    const kase = await openCase('dd-cust-299', '4705288465508532921');
    await push('m299-1', '299', { p_id: '4705288465508532921', aftersale_id: '3', aftersale_status: 6 });
    await push('m299-1', '299', { p_id: '4705288465508532921', aftersale_id: '3', aftersale_status: 6 }); // re-run
    expect((await rig.services.store.getCase(kase.id))?.data.afterSale).toMatchObject({ tag: '299', tagName: 'tag_299' });
    expect(await readUnknownTag(rig.services.store, '299')).toMatchObject({ count: 1, lastMsgId: 'm299-1', lastData: { p_id: '4705288465508532921' } });
    expect(await rig.services.store.getOutbound('doudian-m299-1')).toBeNull();
  });

  it('keeps the after-sale state for orders without a case, and ignores other shops and bad data', async () => {
    await push('m200-5', '200', { p_id: '9000000000000000005', aftersale_id: '8005' });
    expect(JSON.parse((await rig.services.store.getSetting('doudian:aftersale:9000000000000000005')) ?? '{}')).toMatchObject({ tag: '200' });
    await push('m200-6', '200', { p_id: '9000000000000000006', shop_id: 'another-shop' });
    expect(await rig.services.store.getSetting('doudian:aftersale:9000000000000000006')).toBeNull();
    await expect(run({ data: { msgId: 'bad', tag: '206', data: '{not json' } })).resolves.toBeUndefined();
    await run({ data: { msgId: 'unk', tag: '999', data: '{"product_id":3600000000000000001}' } });
    expect(await readUnknownTag(rig.services.store, '999')).toMatchObject({ tag: '999', count: 1, lastData: { product_id: '3600000000000000001' } });
  });
});

describe('抖店 order pushes', () => {
  it('keeps the latest shipped and logistics-changed push per order for the dialogue', async () => {
    await push('o102', '102', { p_id: '4000000000000000001', s_ids: ['4000000000000000002'], order_status: 3, logistics_code: 'SF123', post_receiver: '王五' });
    await push('o104', '104', { p_id: '4000000000000000001', logistics_code: 'SF123', update_time: 1718000000 });
    const events = await readOrderEvents(rig.services.store, '4000000000000000001');
    expect(events).toMatchObject({
      orderId: '4000000000000000001',
      latestTag: '104',
      events: {
        '102': { msgId: 'o102', tagName: 'order_shipped', data: { p_id: '4000000000000000001', s_ids: '4000000000000000002', order_status: 3, logistics_code: 'SF123' } },
        '104': { msgId: 'o104', tagName: 'logistics_changed' },
      },
    });
    expect(JSON.stringify(events)).not.toContain('王五');
  });
});
