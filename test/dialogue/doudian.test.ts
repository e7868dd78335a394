/**
 * With 抖店 configured, order ids are checked against the shop (the fake recomputes every signature):
 * an unknown order is refused with a hint, the product name shows in the summary, the 7-day no-reason
 * window is counted from the real sign-for time, and a returning customer can pick an earlier order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readState } from '../../src/dialogue/state.js';
import { DD, doudianEnv } from '../channels/douyin/rig.js';
import { FakeDoudian } from '../fakes/doudian/server.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { WebCustomer } from './web-customer.js';

const DAY_S = 24 * 3600;
const nowS = (): number => Math.floor(Date.now() / 1000);

let fake: FakeDoudian;
let h: Harness;

function order(id: string, product: string, signedDaysAgo: number): Record<string, unknown> {
  return {
    order_id: id,
    order_status: 5,
    order_status_desc: '已完成',
    create_time: nowS() - (signedDaysAgo + 3) * DAY_S,
    sku_order_list: [{ order_id: `${id.slice(0, -1)}9`, product_name: product, logistics_receipt_time: nowS() - signedDaysAgo * DAY_S }],
  };
}

beforeAll(async () => {
  fake = await FakeDoudian.start(DD);
  fake.orders.set('6913000000000000001', order('6913000000000000001', '纯棉T恤 白色 L', 2));
  fake.orders.set('6913000000000000002', order('6913000000000000002', '真丝睡衣', 12));
  h = await startHarness({ env: doudianEnv(fake.baseUrl) });
});
afterAll(async () => {
  await h?.stop();
  await fake?.stop();
});

const stateOf = async (visitorId: string) => readState((await waitFor(() => h.services.store.findConversation('web', visitorId))).state);

describe('intake with 抖店 order checks', () => {
  it('refuses an order the shop does not know, then shows the product of a real one', async () => {
    const c = new WebCustomer(h, 'dd-visitor-1');
    await c.say('T恤领口开线了');
    const refused = await c.say('订单号6913000000000000999');
    expect(refused.text).toContain('6913000000000000999');
    expect((await stateOf('dd-visitor-1')).intake?.orderId).toBeNull();
    await c.say('6913000000000000001');
    await c.photo();
    const filed = await c.say('换货');
    expect(filed.text).toContain('纯棉T恤');
    const conv = await waitFor(() => h.services.store.findConversation('web', 'dd-visitor-1'));
    const [kase] = (await h.services.store.listCases({ conversationId: conv.id })).items;
    expect(kase).toMatchObject({ category: 'quality', orderId: '6913000000000000001', resolution: 'exchange' });
    expect(kase?.data.order).toMatchObject({ verified: true, productName: '纯棉T恤 白色 L' });
    expect(fake.calls.filter((x) => x.method === 'order.orderDetail').every((x) => x.code === 10000 || x.subCode === 'isv.parameter-invalid:20001')).toBe(true);

    // Next time the same customer can pick that order instead of typing it.
    const ask = await c.say('袖子也有个破洞');
    expect((await stateOf('dd-visitor-1')).asking).toBe('orderId');
    expect(ask.choices.map((x) => x.id)).toContain('order_6913000000000000001');
    expect(ask.choices.find((x) => x.id === 'order_6913000000000000001')?.label).toContain('纯棉T恤');
    const picked = await c.click('order_6913000000000000001');
    expect((await stateOf('dd-visitor-1')).intake?.orderId).toBe('6913000000000000001');
    expect(picked.text.length).toBeGreaterThan(0);
  });

  it('counts the no-reason window from sign-for: 12 days after, the return is declined by the rule', async () => {
    const c = new WebCustomer(h, 'dd-visitor-2');
    await c.say('不喜欢，想退货');
    const declined = await c.say('6913000000000000002');
    expect(declined.text).toMatch(/7天/);
    expect(declined.text).toMatch(/12天/);
    expect(declined.choices.map((x) => x.id)).toEqual(['human']);
    const state = await stateOf('dd-visitor-2');
    expect(state.intake).toBeNull();
    const conv = await waitFor(() => h.services.store.findConversation('web', 'dd-visitor-2'));
    expect((await h.services.store.listCases({ conversationId: conv.id })).items).toHaveLength(0);
  });

  it('within the window the verdict is kept on the case for the agent', async () => {
    const c = new WebCustomer(h, 'dd-visitor-3');
    await c.say('尺码不合适想换大一码');
    await c.say('6913000000000000001');
    const conv = await waitFor(() => h.services.store.findConversation('web', 'dd-visitor-3'));
    const [kase] = (await h.services.store.listCases({ conversationId: conv.id })).items;
    expect(kase?.category).toBe('no_fault_return');
    expect(kase?.data.policy).toMatchObject({ window: { status: 'within', days: 7, daysSince: 2 }, returnShippingPaidBy: 'customer' });
  });
});
