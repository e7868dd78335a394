/** The signed 抖店 client against the fake API, which recomputes every sign and refuses mismatches. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDoudianClient } from '../../../src/channels/doudian/client.js';
import { PlatformError } from '../../../src/core/errors.js';
import { FAKE_DD_CODES, FakeDoudian } from '../../fakes/doudian/server.js';
import { DD } from '../douyin/rig.js';

let fake: FakeDoudian;
const clock = { now: () => 1_718_000_000_000 };
const config = () => ({ ...DD, apiBase: fake.baseUrl });

beforeAll(async () => {
  fake = await FakeDoudian.start(DD);
  fake.orders.set('4938471239012345678', {
    order_id: '4938471239012345678',
    order_status: 3,
    order_status_desc: '已发货',
    pay_amount: 12900,
    create_time: 1717000000,
    finish_time: 0,
    mask_post_receiver: '王**',
    sku_order_list: [
      { order_id: '4938471239012345679', product_name: '保温杯 500ml', ship_time: 1717100000, logistics_receipt_time: 1717300000, after_sale_info: { after_sale_status: 6, after_sale_type: 1, refund_status: 1 } },
    ],
    logistics_info: [{ tracking_no: 'SF1234567890', company_name: '顺丰速运' }],
  });
  fake.afterSales.set('7001', {
    process_info: { after_sale_info: { after_sale_id: '7001', after_sale_status: 12, after_sale_status_desc: '售后成功', after_sale_type: 1, refund_type: 1, refund_status: 3, refund_amount: 12900, apply_time: 1717400000, status_deadline: 0, reason: '质量问题' } },
    order_info: { shop_order_id: '4938471239012345678' },
  });
  fake.afterSaleItems.push({
    aftersale_info: { aftersale_id: '7001', aftersale_type: 1, aftersale_status: 12, refund_status: 3, refund_amount: 12900, apply_time: 1717400000, update_time: 1717500000 },
    order_info: { shop_order_id: '4938471239012345678' },
    text_part: { aftersale_status_text: '售后成功' },
  });
});
afterAll(() => fake.stop());

describe('抖店 client', () => {
  it('reads an order: status, sign-for time, products, tracking numbers', async () => {
    const order = await createDoudianClient(config(), { clock }).orderDetail('4938471239012345678');
    expect(order).toEqual({
      orderId: '4938471239012345678',
      status: 3,
      statusDesc: '已发货',
      payAmountFen: 12900,
      createdAt: 1717000000000,
      shippedAt: 1717100000000,
      signedAt: 1717300000000,
      confirmedAt: null,
      finishedAt: null,
      lines: [{ subOrderId: '4938471239012345679', productName: '保温杯 500ml', afterSale: { status: 6, type: 1, refundStatus: 1 } }],
      logistics: [{ trackingNo: 'SF1234567890', company: '顺丰速运' }],
    });
    expect(JSON.stringify(order)).not.toContain('王');
    expect(fake.calls.at(-1)).toMatchObject({ method: 'order.orderDetail', code: 10000, paramJson: '{"shop_order_id":"4938471239012345678"}' });
  });

  it('works with the md5 sign method too', async () => {
    await createDoudianClient(config(), { clock, signMethod: 'md5' }).orderDetail('4938471239012345678');
    expect(fake.calls.at(-1)).toMatchObject({ code: 10000, signMethod: 'md5' });
  });

  it('throws PlatformError for an unknown order and for a wrong secret (sign mismatch)', async () => {
    const unknown = createDoudianClient(config(), { clock }).orderDetail('1');
    await expect(unknown).rejects.toMatchObject({ platform: 'doudian', platformCode: FAKE_DD_CODES.notFound });
    const forged = createDoudianClient({ ...config(), appSecret: 'wrong' }, { clock }).orderDetail('4938471239012345678');
    await expect(forged).rejects.toBeInstanceOf(PlatformError);
    expect(fake.calls.at(-1)?.code).toBe(FAKE_DD_CODES.badSign);
  });

  it('reads after-sale detail and list', async () => {
    const client = createDoudianClient(config(), { clock });
    expect(await client.afterSaleDetail('7001')).toMatchObject({ afterSaleId: '7001', orderId: '4938471239012345678', status: 12, refundStatus: 3, refundAmountFen: 12900, appliedAt: 1717400000000, deadline: null });
    const list = await client.afterSaleList({ orderId: '4938471239012345678' });
    expect(list).toEqual({
      total: 1,
      hasMore: false,
      items: [expect.objectContaining({ afterSaleId: '7001', orderId: '4938471239012345678', status: 12, statusText: '售后成功', refundAmountFen: 12900 })],
    });
    expect(JSON.parse(fake.calls.at(-1)?.paramJson ?? '{}')).toEqual({ order_id: '4938471239012345678', page: 0, size: 20 });
  });

  it('reports an unreachable API as a NetworkError', async () => {
    await expect(createDoudianClient({ ...config(), apiBase: 'http://127.0.0.1:9' }, { clock }).orderDetail('x')).rejects.toMatchObject({ name: 'NetworkError' });
  });
});
