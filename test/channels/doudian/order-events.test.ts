/**
 * Order pushes through the 'doudian-event' processor against the real SQLite store, with the fake 抖店 API
 * answering order.orderDetail for the carrier's name. Fixtures: test/fakes/doudian/fixtures.ts (sources there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doudianEventProcessor } from '../../../handlers/jobs/doudian-event.js';
import { createDoudianChannel } from '../../../src/channels/doudian/index.js';
import { readOrderEvents } from '../../../src/channels/doudian/order-events.js';
import { readUnknownTag } from '../../../src/channels/doudian/unknown-tags.js';
import { amountChangedData, partlyShippedData, remarkData, shippedData } from '../../fakes/doudian/fixtures.js';
import { FakeDoudian } from '../../fakes/doudian/server.js';
import { DD, startRig, type Rig } from '../douyin/rig.js';

let rig: Rig;
let fake: FakeDoudian;
let run: ReturnType<typeof doudianEventProcessor>;

const ORDER = '4705288465508532862';
const lookups = (): number => fake.calls.filter((c) => c.method === 'order.orderDetail').length;

beforeAll(async () => {
  fake = await FakeDoudian.start(DD);
  fake.orders.set(ORDER, {
    order_id: ORDER,
    order_status: 3,
    logistics_info: [
      { tracking_no: 'SF1400000000001', company: 'shunfeng', company_name: '顺丰速运' },
      { tracking_no: 'YT7300000000002', company: 'yuantong', company_name: '圆通速递' },
    ],
  });
  rig = await startRig({ env: { DOUDIAN_API_BASE: fake.baseUrl } });
  run = doudianEventProcessor(rig.services, createDoudianChannel(rig.services).client);
});
afterAll(async () => {
  await rig?.stop();
  await fake?.stop();
});

const push = (msgId: string, tag: string, data: string) => run({ data: { msgId, tag, data } });

describe('抖店 shipment pushes', () => {
  it('102: keeps the nested tracking number with the carrier from order.orderDetail, and no receiver details', async () => {
    await push('o102-1', '102', shippedData(ORDER, 'SF1400000000001', DD.shopId));
    const events = await readOrderEvents(rig.services.store, ORDER);
    expect(events?.shipment).toMatchObject({ trackingNo: 'SF1400000000001', carrier: '顺丰速运', expressCompanyId: '7', msgId: 'o102-1' });
    expect(events?.events['102']?.data).toMatchObject({ p_id: ORDER, s_ids: ORDER, order_status: 3 });
    const stored = (await rig.services.store.getSetting(`doudian:order:${ORDER}`)) ?? '';
    for (const pii of ['王小明', '13800138000', '文三路']) expect(stored).not.toContain(pii);
  });

  it('104 with the same tracking number keeps the carrier without asking again; 108 takes the new parcel', async () => {
    const before = lookups();
    await push('o104-1', '104', shippedData(ORDER, 'SF1400000000001', DD.shopId));
    expect(lookups()).toBe(before);
    expect((await readOrderEvents(rig.services.store, ORDER))?.shipment).toMatchObject({ carrier: '顺丰速运', msgId: 'o104-1' });
    await push('o108-1', '108', partlyShippedData(ORDER, 'YT7300000000002', DD.shopId));
    expect((await readOrderEvents(rig.services.store, ORDER))?.shipment).toMatchObject({ trackingNo: 'YT7300000000002', carrier: '圆通速递', expressCompanyId: '12' });
    expect(lookups()).toBe(before + 1);
  });

  it('keeps the tracking number without a carrier when 抖店 refuses the look-up', async () => {
    await push('o102-2', '102', shippedData('4705288465508539999', 'JT0000000000001', DD.shopId));
    expect(fake.calls.at(-1)).toMatchObject({ method: 'order.orderDetail', subCode: 'isv.parameter-invalid:20001' });
    expect((await readOrderEvents(rig.services.store, '4705288465508539999'))?.shipment).toMatchObject({ trackingNo: 'JT0000000000001', carrier: null });
  });
});

describe('抖店 other order tags', () => {
  it('records 109 and 126 as known order events and 113 without its free-text remark', async () => {
    await push('o109-1', '109', amountChangedData(ORDER, DD.shopId));
    await push('o126-1', '126', `{"exp_delivery_time":1718100000,"order_type":0,"p_id":"${ORDER}","s_ids":[${ORDER}],"shop_id":${DD.shopId}}`);
    await push('o113-1', '113', remarkData(ORDER, DD.shopId));
    const events = await readOrderEvents(rig.services.store, ORDER);
    expect(events?.events['109']).toMatchObject({ tagName: 'order_amount_changed', data: { total_amount: 53800 } });
    expect(events?.events['126']).toMatchObject({ tagName: 'ship_deadline_changed' });
    expect(events?.events['113']).toMatchObject({ tagName: 'seller_remark_added', data: { star: 2 } });
    expect(JSON.stringify(events)).not.toContain('13800138000');
    for (const tag of ['109', '113', '126']) expect(await readUnknownTag(rig.services.store, tag)).toBeNull();
  });

  it('records an order tag it does not know, on the order and as an unknown tag', async () => {
    await push('o150-1', '150', `{"p_id":${ORDER},"shop_id":${DD.shopId},"new_field":1}`);
    expect((await readOrderEvents(rig.services.store, ORDER))?.events['150']).toMatchObject({ tagName: 'tag_150', data: { new_field: 1 } });
    expect(await readUnknownTag(rig.services.store, '150')).toMatchObject({ count: 1, lastData: { p_id: ORDER } });
  });
});
