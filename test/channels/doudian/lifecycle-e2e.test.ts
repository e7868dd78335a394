/**
 * Acceptance through the whole app as production builds it (web + workers, the default bot, real Redis and
 * SQLite) against the fake 抖店 API: the shop's access token expires mid-run and order checks keep working after
 * one automatic token.refresh; the push processor shares the same client and token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOrderEvents } from '../../../src/channels/doudian/order-events.js';
import { readState } from '../../../src/dialogue/state.js';
import { WebCustomer } from '../../dialogue/web-customer.js';
import { ORDER_ID, SHIPPED_ORDER_ID, shippedData, shopOrders } from '../../fakes/doudian/fixtures.js';
import { DoudianPusher } from '../../fakes/doudian/pusher.js';
import { DD_REFUSALS, FakeDoudian } from '../../fakes/doudian/server.js';
import { startHarness, waitFor, type Harness } from '../../helpers/harness.js';
import { DD, doudianEnv } from '../douyin/rig.js';

const REFRESH = 'dd-refresh-e2e';
const nowS = (): number => Math.floor(Date.now() / 1000);
let app: Harness;
let fake: FakeDoudian;

beforeAll(async () => {
  fake = await FakeDoudian.start({ ...DD, refreshToken: REFRESH });
  for (const [id, order] of shopOrders(nowS())) fake.orders.set(id, order);
  app = await startHarness({
    env: {
      ...doudianEnv(fake.baseUrl),
      DOUDIAN_REFRESH_TOKEN: REFRESH,
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

const tokens = () => {
  if (!fake.tokens) throw new Error('the fake was started without tokens');
  return fake.tokens;
};
const storeKey = `doudian:${DD.appKey}:${DD.shopId}`;

/** A shopper names an issue and then the order; resolves with the order id the dialogue accepted. */
async function giveOrder(visitorId: string): Promise<string | null | undefined> {
  const c = new WebCustomer(app, visitorId);
  await c.say('保温杯漏水了');
  await c.say(`订单号 ${ORDER_ID}`);
  const conv = await waitFor(() => app.services.store.findConversation('web', visitorId));
  return readState(conv.state).intake?.orderId;
}

describe('抖店 token lifecycle end to end', () => {
  it('keeps checking orders when the token expires mid-run: one refresh for every caller, kept in the store', async () => {
    expect(await giveOrder('dd-life-1')).toBe(ORDER_ID);
    // The configured token's expiry was unknown: one refresh learned it and, an hour or more before expiry, the
    // platform answered with the same token.
    expect(tokens().refreshCalls).toBe(1);
    expect((await app.services.store.getToken(storeKey))?.accessToken).toBe(DD.accessToken);

    tokens().expireAccessTokens();
    const from = fake.calls.length;
    const shoppers = ['dd-life-2', 'dd-life-3', 'dd-life-4'];
    expect(await Promise.all(shoppers.map(giveOrder))).toEqual(shoppers.map(() => ORDER_ID));

    // Each shopper's order was verified by the platform (a failed check would accept the id unchecked).
    const checks = fake.calls.slice(from).filter((c) => c.method === 'order.orderDetail');
    expect(checks.filter((c) => c.code === 10000)).toHaveLength(shoppers.length);
    // The refusals were the old token's: expired, or (once the refresh had replaced it) unknown.
    const tokenRefusals: string[] = [DD_REFUSALS.tokenExpired[1], DD_REFUSALS.tokenUnknown[1]];
    expect(checks.filter((c) => c.code !== 10000).map((c) => c.subCode).filter((sub) => !tokenRefusals.includes(sub))).toEqual([]);
    expect(tokens().refreshCalls).toBe(2);
    const [renewed, ...others] = tokens().validAccessTokens();
    expect(others).toEqual([]);
    expect(renewed).not.toBe(DD.accessToken);
    const stored = await app.services.store.getToken(storeKey);
    expect(stored).toMatchObject({ accessToken: renewed, refreshToken: expect.not.stringMatching(REFRESH) as unknown });
    expect(Date.parse(stored?.refreshExpiresAt ?? '')).toBeGreaterThan(Date.now());
    expect(checks.some((c) => c.subCode === DD_REFUSALS.tokenExpired[1])).toBe(true);
    const refreshes = fake.calls.filter((c) => c.method === 'token.refresh');
    expect(refreshes.map((c) => c.code)).toEqual([10000, 10000]);
    expect(JSON.parse(refreshes[1]?.paramJson ?? '{}')).toEqual({ grant_type: 'refresh_token', refresh_token: REFRESH });
  });

  it('the push processor uses the same renewed token: a shipment gets its carrier without another refresh', async () => {
    const refreshCalls = tokens().refreshCalls;
    const pusher = new DoudianPusher({ url: `${app.baseUrl}/webhooks/doudian`, ...DD });
    const raw = pusher.body([{ tag: '102', msg_id: '7300000000000001102', data: shippedData(SHIPPED_ORDER_ID, 'SF1400000000019', DD.shopId) }]);
    expect((await pusher.push([], { raw })).accepted).toBe(true);
    await waitFor(async () => (await readOrderEvents(app.services.store, SHIPPED_ORDER_ID))?.shipment?.carrier, { what: 'shipment with carrier' });
    expect(tokens().refreshCalls).toBe(refreshCalls);
    expect(fake.calls.filter((c) => c.method === 'order.orderDetail').at(-1)?.code).toBe(10000);
  });
});
