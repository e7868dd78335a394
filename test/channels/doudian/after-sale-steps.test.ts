/**
 * 抖店 after-sale pushes moving the execution steps of a case a person approved, through the 'doudian-event'
 * processor with the real SQLite store and the fake 抖店 API answering afterSale.Detail. Fixtures and their public
 * sources: test/fakes/doudian/fixtures.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doudianEventProcessor } from '../../../handlers/jobs/doudian-event.js';
import { createDoudianChannel } from '../../../src/channels/doudian/index.js';
import type { CaseStatus } from '../../../src/core/types.js';
import { buyerReturnedData, returnedDetail } from '../../fakes/doudian/fixtures.js';
import { FakeDoudian } from '../../fakes/doudian/server.js';
import { DD, startRig, type Rig } from '../douyin/rig.js';

let rig: Rig;
let fake: FakeDoudian;
let run: ReturnType<typeof doudianEventProcessor>;

beforeAll(async () => {
  fake = await FakeDoudian.start(DD);
  rig = await startRig({ env: { DOUDIAN_API_BASE: fake.baseUrl } });
  run = doudianEventProcessor(rig.services, createDoudianChannel(rig.services).client);
});
afterAll(async () => {
  await rig?.stop();
  await fake?.stop();
});

async function caseOf(openId: string, orderId: string, status: CaseStatus) {
  const { store } = rig.services;
  const customer = await store.upsertCustomer({ channel: 'douyin', platformUserId: openId });
  const conv = await store.getOrCreateConversation({ channel: 'douyin', key: openId, customerId: customer.id });
  return store.createCase({ channel: 'douyin', customerId: customer.id, conversationId: conv.id, orderId, status, category: 'quality' });
}
const details = (): number => fake.calls.filter((c) => c.method === 'afterSale.Detail').length;

describe('抖店 203 买家退货', () => {
  it('records the return tracking number afterSale.Detail names as the step by 抖店, with its carrier, once', async () => {
    const order = '4705288465508534001';
    const kase = await caseOf('dd-ret-1', order, 'approved');
    fake.afterSales.set('7302918391229184001', returnedDetail('7302918391229184001', order, 'SF1400000000031'));
    const push = { data: { msgId: 'r203-1', tag: '203', data: buyerReturnedData(order, '7302918391229184001', DD.shopId) } };
    const before = details();
    await run(push);
    await run(push); // BullMQ is at-least-once
    expect(details() - before).toBe(1);
    const after = await rig.services.store.getCase(kase.id);
    expect(after?.status).toBe('executing');
    expect(after?.steps).toEqual([
      expect.objectContaining({ kind: 'return_tracking', by: 'doudian', trackingNo: 'SF1400000000031', carrier: '顺丰', key: 'doudian-r203-1' }),
    ]);
    expect((await rig.services.store.listCaseEvents(kase.id)).filter((e) => e.type === 'step')).toHaveLength(1);
  });

  it('leaves a case nobody has decided as it is', async () => {
    const order = '4705288465508534002';
    const kase = await caseOf('dd-ret-2', order, 'open');
    fake.afterSales.set('7302918391229184002', returnedDetail('7302918391229184002', order, 'YT1234567890123'));
    await run({ data: { msgId: 'r203-2', tag: '203', data: buyerReturnedData(order, '7302918391229184002', DD.shopId) } });
    const after = await rig.services.store.getCase(kase.id);
    expect(after?.status).toBe('open');
    expect(after?.steps).toEqual([]);
  });
});
