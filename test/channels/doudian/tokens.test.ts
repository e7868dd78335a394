/**
 * The 抖店 shop token lifecycle against the fake API's token.refresh (7-day access token, 14-day refresh token, a
 * new pair only in the access token's last hour): the configured first token, refresh ahead of expiry once for
 * several processes, the store as the record, and the managers' alerts (real SQLite, real Redis, manual clock).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDoudianChannel, DOUDIAN_ALERT_AHEAD_MS, DOUDIAN_REFRESH_AHEAD_MS } from '../../../src/channels/doudian/index.js';
import { createDoudianCall } from '../../../src/channels/doudian/call.js';
import { refreshDoudianToken } from '../../../src/channels/doudian/token.js';
import type { BaseServices } from '../../../src/services.js';
import { ORDER_ID, shopOrders } from '../../fakes/doudian/fixtures.js';
import { manualClock } from '../../helpers/clock.js';
import { FakeDoudian } from '../../fakes/doudian/server.js';
import { DD_ACCESS_TTL_MS, DD_REFRESH_TTL_MS } from '../../fakes/doudian/tokens.js';
import { DD, startRig, type Rig } from '../douyin/rig.js';

const DAY = 24 * 3600_000;
const REFRESH = 'dd-refresh-lifecycle';
const clock = manualClock(1_796_000_000_000);
let fake: FakeDoudian;
let rig: Rig;

beforeAll(async () => {
  fake = await FakeDoudian.start({ ...DD, refreshToken: REFRESH, clock });
  for (const [id, order] of shopOrders(Math.floor(clock.now() / 1000))) fake.orders.set(id, order);
  rig = await startRig({ clock, env: { DOUDIAN_API_BASE: fake.baseUrl, DOUDIAN_REFRESH_TOKEN: REFRESH } });
});
afterAll(async () => {
  await fake.stop();
  await rig.stop();
});

/** A fresh process: its own channel (keeper, client) on the same store and Redis. */
const newProcess = (services: BaseServices = rig.services) => {
  const channel = createDoudianChannel(services);
  if (!channel.tokens) throw new Error('DOUDIAN_ACCESS_TOKEN is set: the channel must have a keeper');
  return { client: channel.client, tokens: channel.tokens };
};
const storeKey = `doudian:${DD.appKey}:${DD.shopId}`;
const stored = () => rig.services.store.getToken(storeKey);
const tokenAlerts = async () => (await rig.services.store.listAlerts({ kind: 'token' })).map((a) => ({ level: a.level, title: a.title, text: a.text }));
const fakeTokens = () => {
  if (!fake.tokens) throw new Error('the fake was started without tokens');
  return fake.tokens;
};

describe('抖店 token lifecycle', () => {
  it('takes the configured token first and learns its expiry with one refresh that returns the same pair', async () => {
    expect(await newProcess().tokens.current()).toBe(DD.accessToken);
    expect(fakeTokens().refreshCalls).toBe(1);
    expect(await stored()).toMatchObject({ accessToken: DD.accessToken, refreshToken: REFRESH, accessExpiresAt: new Date(clock.now() + DD_ACCESS_TTL_MS).toISOString() });
    // Well before expiry nothing is due: a new process reads the store.
    clock.advance(DD_ACCESS_TTL_MS - 2 * DOUDIAN_REFRESH_AHEAD_MS);
    expect(await newProcess().tokens.current()).toBe(DD.accessToken);
    expect(fakeTokens().refreshCalls).toBe(1);
  });

  it('refreshes in the last hour once for several processes; the new pair and its 14 days land in the store', async () => {
    clock.advance(DOUDIAN_REFRESH_AHEAD_MS + 60_000);
    const processes = [newProcess(), newProcess(), newProcess()];
    const tokens = await Promise.all(processes.flatMap((p) => [p.tokens.current(), p.tokens.check().then((r) => r.accessToken)]));
    expect(fakeTokens().refreshCalls).toBe(2);
    const [renewed] = new Set(tokens);
    expect(new Set(tokens).size).toBe(1);
    expect(renewed).not.toBe(DD.accessToken);
    expect(await stored()).toMatchObject({
      accessToken: renewed,
      refreshToken: expect.not.stringMatching(REFRESH) as unknown,
      accessExpiresAt: new Date(clock.now() + DD_ACCESS_TTL_MS).toISOString(),
      refreshExpiresAt: new Date(clock.now() + DD_REFRESH_TTL_MS).toISOString(),
    });
    expect((await newProcess().client.orderDetail(ORDER_ID)).orderId).toBe(ORDER_ID);
    expect(fake.calls.at(-1)).toMatchObject({ method: 'order.orderDetail', code: 10000 });
  });

  it('warns the managers days before the refresh token runs out when refreshes cannot reach 抖店', async () => {
    const row = await stored();
    const unreachable = { ...rig.services, config: { ...rig.services.config, doudian: { ...DD, refreshToken: REFRESH, apiBase: 'http://127.0.0.1:9' } } };
    clock.advance(Date.parse(row?.refreshExpiresAt ?? '') - clock.now() - DOUDIAN_ALERT_AHEAD_MS - DAY);
    await expect(newProcess(unreachable).tokens.check()).rejects.toMatchObject({ name: 'NetworkError' });
    expect(await tokenAlerts()).toEqual([]);
    clock.advance(2 * DAY);
    await expect(newProcess(unreachable).tokens.check()).rejects.toMatchObject({ name: 'NetworkError' });
    await expect(newProcess(unreachable).tokens.check()).rejects.toMatchObject({ name: 'NetworkError' });
    const alerts = await tokenAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 'warning', title: '抖店授权将在 4 天后到期' });
    expect(alerts[0]?.text).toMatch(/抖店开放平台.*DOUDIAN_ACCESS_TOKEN、DOUDIAN_REFRESH_TOKEN/);
  });

  it('raises a critical alert when 抖店 refuses the refresh, and the caller gets the token error', async () => {
    clock.advance(5 * DAY); // past the refresh token's 14 days
    await expect(newProcess().client.orderDetail(ORDER_ID)).rejects.toMatchObject({ subCode: 'isv.access-token-expired' });
    const critical = (await tokenAlerts()).filter((a) => a.level === 'critical');
    expect(critical.map((a) => a.title)).toEqual(['抖店授权续期失败']);
    expect(critical[0]?.text).toMatch(/50001.*查询抖店的订单和售后/);
  });
});

describe('token.refresh answers', () => {
  it('reads expires_in as seconds to live or as a unix time, and a refused refresh as a 抖店 refusal', async () => {
    const own = manualClock(1_796_000_000_000);
    const dd = await FakeDoudian.start({ ...DD, refreshToken: REFRESH, clock: own });
    try {
      const call = createDoudianCall({ ...DD, apiBase: dd.baseUrl }, { clock: own });
      own.advance(DD_ACCESS_TTL_MS - 10 * 60_000);
      const expected = own.now() + DD_ACCESS_TTL_MS;
      const relative = await refreshDoudianToken(call, REFRESH, own.now());
      expect(relative).toMatchObject({ accessExpiresAt: expected, refreshExpiresAt: own.now() + 14 * DAY });
      if (!dd.tokens || !relative.refreshToken) throw new Error('a new pair was expected');
      dd.tokens.expiresInAsUnixTime = true;
      own.advance(DD_ACCESS_TTL_MS);
      const absolute = await refreshDoudianToken(call, relative.refreshToken, own.now());
      expect(absolute.accessExpiresAt).toBe(Math.floor((own.now() + DD_ACCESS_TTL_MS) / 1000) * 1000);
      await expect(refreshDoudianToken(call, 'unknown-refresh-token', own.now())).rejects.toMatchObject({ platformCode: 50001, kind: 'token_invalid' });
    } finally {
      await dd.stop();
    }
  });
});
