/**
 * The signed 抖店 client against the fake API, which recomputes every sign, refuses mismatches in the current
 * error format and writes int64 ids as bare JSON numbers (test/fakes/doudian/server.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDoudianClient } from '../../../src/channels/doudian/client.js';
import { classifyDoudianError, DoudianApiError } from '../../../src/channels/doudian/errors.js';
import { PlatformError } from '../../../src/core/errors.js';
import { AFTER_SALE_ID, afterSaleDetail } from '../../fakes/doudian/fixtures.js';
import { DD_REFUSALS, FakeDoudian } from '../../fakes/doudian/server.js';
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
  fake.afterSales.set(AFTER_SALE_ID, afterSaleDetail(AFTER_SALE_ID, '4938471239012345678'));
  fake.afterSaleItems.push({
    aftersale_info: { aftersale_id: AFTER_SALE_ID, aftersale_type: 1, aftersale_status: 12, refund_status: 3, refund_amount: 12900, apply_time: 1717400000, update_time: 1717500000 },
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
    expect(fake.calls.at(-1)).toMatchObject({ method: 'order.orderDetail', code: 10000, paramJson: '{"shop_order_id":"4938471239012345678"}', newErrorFormat: true });
  });

  it('works with the md5 sign method too', async () => {
    await createDoudianClient(config(), { clock, signMethod: 'md5' }).orderDetail('4938471239012345678');
    expect(fake.calls.at(-1)).toMatchObject({ code: 10000, signMethod: 'md5' });
  });

  it('throws PlatformError for an unknown order and for a wrong secret (sign mismatch)', async () => {
    const unknown = createDoudianClient(config(), { clock }).orderDetail('1');
    await expect(unknown).rejects.toMatchObject({ platform: 'doudian', platformCode: 40004, subCode: 'isv.parameter-invalid:20001', kind: 'refused', hint: undefined });
    const forged = createDoudianClient({ ...config(), appSecret: 'wrong' }, { clock }).orderDetail('4938471239012345678');
    await expect(forged).rejects.toBeInstanceOf(PlatformError);
    await expect(forged).rejects.toMatchObject({ kind: 'credentials', hint: expect.stringContaining('DOUDIAN_APP_SECRET') });
    expect(fake.calls.at(-1)?.subCode).toBe(DD_REFUSALS.badSign[1]);
  });

  it('reads after-sale detail and list', async () => {
    const client = createDoudianClient(config(), { clock });
    // refund_total_amount 12900, real_refund_amount 12500: what went back is the real amount.
    expect(await client.afterSaleDetail(AFTER_SALE_ID)).toMatchObject({ afterSaleId: AFTER_SALE_ID, orderId: '4938471239012345678', status: 12, refundStatus: 3, refundAmountFen: 12500, appliedAt: 1717400000000, deadline: null });
    const list = await client.afterSaleList({ orderId: '4938471239012345678' });
    expect(list).toEqual({
      total: 1,
      hasMore: false,
      items: [expect.objectContaining({ afterSaleId: AFTER_SALE_ID, orderId: '4938471239012345678', status: 12, statusText: '售后成功', refundAmountFen: 12900 })],
    });
    expect(JSON.parse(fake.calls.at(-1)?.paramJson ?? '{}')).toEqual({ order_id: '4938471239012345678', page: 0, size: 20 });
  });

  it('classifies token refusals from the current format: expired or unknown → refresh, missing → re-authorise', async () => {
    fake.tokens?.expireAccessTokens();
    const expired = await createDoudianClient(config(), { clock }).orderDetail('4938471239012345678').catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(DoudianApiError);
    expect(expired).toMatchObject({ platformCode: 40003, subCode: 'isv.access-token-expired', kind: 'token_expired', retryable: false });
    expect((expired as DoudianApiError).hint).toContain('DOUDIAN_REFRESH_TOKEN');
    const unknown = createDoudianClient({ ...config(), accessToken: 'stale-token' }, { clock }).orderDetail('4938471239012345678');
    await expect(unknown).rejects.toMatchObject({ subCode: 'isv.access-token-no-existed', kind: 'token_expired' });
    const missing = createDoudianClient({ ...config(), accessToken: null }, { clock }).orderDetail('4938471239012345678');
    await expect(missing).rejects.toMatchObject({ platformCode: 40001, subCode: 'isv.access-token-missing', kind: 'token_invalid' });
  });

  it('reports an unreachable API as a NetworkError', async () => {
    await expect(createDoudianClient({ ...config(), apiBase: 'http://127.0.0.1:9' }, { clock }).orderDetail('x')).rejects.toMatchObject({ name: 'NetworkError' });
  });
});

describe('抖店 refusal classes (guide-docs/212/1427)', () => {
  it('maps code + sub_code to what the caller does', () => {
    expect(classifyDoudianError(40003, 'isv.access-token-expired')).toBe('token_expired');
    expect(classifyDoudianError(30001, 'dop.authorization-closed')).toBe('token_invalid');
    expect(classifyDoudianError(50001, 'dop.token-generate-failed:token-expired')).toBe('token_invalid');
    expect(classifyDoudianError(30002, '')).toBe('credentials');
    expect(classifyDoudianError(60000, '')).toBe('retry_later');
    expect(classifyDoudianError(20001, '')).toBe('retry_later');
    expect(classifyDoudianError(50002, 'isv.business-failed:20015')).toBe('refused');
  });
});
