/**
 * Acceptance, end to end: the whole app as production builds it (web + workers, the default bot, real Redis
 * and SQLite) between a shopper on the web simulator, the fake 抖店 pusher and the fake 抖店 API. Push bodies
 * are the public-sample shapes of test/fakes/doudian/fixtures.ts, with 19-digit ids as bare JSON numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOrderEvents } from '../../../src/channels/doudian/order-events.js';
import { WebCustomer } from '../../dialogue/web-customer.js';
import { AFTER_SALE_ID, ORDER_ID, refundSucceededPush, SHIPPED_ORDER_ID, shippedData, shopOrders } from '../../fakes/doudian/fixtures.js';
import { DoudianPusher } from '../../fakes/doudian/pusher.js';
import { FakeDoudian } from '../../fakes/doudian/server.js';
import { startHarness, waitFor, type Harness } from '../../helpers/harness.js';
import { DD, doudianEnv } from '../douyin/rig.js';

const nowS = (): number => Math.floor(Date.now() / 1000);

let app: Harness;
let fake: FakeDoudian;
let pusher: DoudianPusher;

beforeAll(async () => {
  fake = await FakeDoudian.start(DD);
  for (const [id, order] of shopOrders(nowS())) fake.orders.set(id, order);
  app = await startHarness({
    env: {
      ...doudianEnv(fake.baseUrl),
    },
  });
  pusher = new DoudianPusher({ url: `${app.baseUrl}/webhooks/doudian`, ...DD });
});
afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

describe('抖店 pushes end to end', () => {
  it('a 206 with a 19-digit aftersale_id JSON number resolves its case and tells the shopper once', async () => {
    const c = new WebCustomer(app, 'dd-e2e-refund');
    await c.say('保温杯漏水了');
    await c.say(`订单号 ${ORDER_ID}`);
    await c.photo();
    await c.say('退货退款');
    const conv = await waitFor(() => app.services.store.findConversation('web', 'dd-e2e-refund'));
    const [kase] = (await app.services.store.listCases({ conversationId: conv.id })).items;
    expect(kase).toMatchObject({ orderId: ORDER_ID, status: 'open' });
    const before = (await c.botLines()).length;

    const raw = refundSucceededPush('7300000000000000206', DD.shopId);
    expect((await pusher.push([], { raw })).accepted).toBe(true);
    expect((await pusher.push([], { raw })).accepted).toBe(true); // the platform redelivers

    await waitFor(async () => (await app.services.store.getCase(kase?.id ?? ''))?.status === 'resolved', { what: 'case resolved by 退款成功' });
    const told = await c.nextReply(before);
    expect(told.text).toContain('159.00');
    expect((await app.services.store.getCase(kase?.id ?? ''))?.data).toMatchObject({
      resolvedBy: 'doudian',
      afterSale: { tag: '206', afterSaleId: AFTER_SALE_ID, refundAmountFen: 15900 },
    });
    expect((await c.botLines()).filter((l) => l.text.includes('159.00'))).toHaveLength(1);
  });

  it('a 102 push tells a shopper asking 到哪了 / 进度 about that order the carrier and the tracking number', async () => {
    const raw = pusher.body([{ tag: '102', msg_id: '7300000000000000102', data: shippedData(SHIPPED_ORDER_ID, 'SF1400000000019', DD.shopId) }]);
    expect((await pusher.push([], { raw })).accepted).toBe(true);
    await waitFor(async () => (await readOrderEvents(app.services.store, SHIPPED_ORDER_ID))?.shipment?.carrier, { what: 'shipment with carrier' });

    const where = await new WebCustomer(app, 'dd-e2e-where').say(`订单${SHIPPED_ORDER_ID}到哪了`);
    expect(where.text).toContain('顺丰速运');
    expect(where.text).toContain('SF1400000000019');
    const progress = await new WebCustomer(app, 'dd-e2e-progress').say(`${SHIPPED_ORDER_ID} 进度怎么样了`);
    expect(progress.text).toContain('顺丰速运');
    expect(progress.text).toContain('SF1400000000019');
  });
});
