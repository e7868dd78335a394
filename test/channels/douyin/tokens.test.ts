/**
 * The Douyin token lifecycle against the fake platform's OAuth (15-day access token, 30-day refresh token,
 * POST /oauth/refresh_token/): first token from the configuration, refresh ahead of expiry, the store as the
 * record across restarts, one refresh for many callers, and the managers' alerts (real SQLite, real Redis).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDouyinChannel, DOUYIN_ALERT_AHEAD_MS } from '../../../src/channels/douyin/index.js';
import { FakeDouyin } from '../../fakes/douyin/server.js';
import { manualClock } from '../../helpers/clock.js';
import { ACCESS_TTL_MS } from '../../fakes/douyin/oauth.js';
import { DY, startRig, type Rig } from './rig.js';

const DAY = 24 * 3600_000;
const REFRESH = 'rft.lifecycle';
const clock = manualClock(1_796_000_000_000);
let fake: FakeDouyin;
let rig: Rig;

beforeAll(async () => {
  fake = await FakeDouyin.start({ ...DY, refreshToken: REFRESH, clock });
  rig = await startRig({ clock, env: { DOUYIN_API_BASE: fake.baseUrl, DOUYIN_REFRESH_TOKEN: REFRESH } });
});
afterAll(async () => {
  await fake.stop();
  await rig.stop();
});

/** A fresh process: its own channel (keeper, client) on the same store and Redis. */
const newProcess = () => createDouyinChannel(rig.services);
const storeKey = `douyin:${DY.clientKey}:${DY.businessOpenId}`;
const tokenAlerts = async () => (await rig.services.store.listAlerts({ kind: 'token' })).map((a) => ({ level: a.level, title: a.title, text: a.text }));

describe('douyin token lifecycle', () => {
  it('takes the configured token first, learns its expiry with one refresh, and keeps it in the store', async () => {
    const keeper = newProcess().tokens;
    expect(await keeper.current()).toBe(DY.accessToken);
    // An unexpired token refreshed in place keeps its value and gets a new 15 days (the fake, like Douyin).
    expect(fake.tokens.refreshCalls).toBe(1);
    const row = await rig.services.store.getToken(storeKey);
    expect(row).toMatchObject({ accessToken: DY.accessToken, refreshToken: REFRESH, accessExpiresAt: new Date(clock.now() + ACCESS_TTL_MS).toISOString() });
    expect(row?.refreshExpiresAt).not.toBeNull();
    expect(await newProcess().tokens.current()).toBe(DY.accessToken);
    expect(fake.tokens.refreshCalls).toBe(1);
  });

  it('refreshes ahead of expiry once for many callers in several processes, and the next process starts from the store', async () => {
    clock.advance(ACCESS_TTL_MS - DAY / 2);
    const before = fake.tokens.refreshCalls;
    const keepers = [newProcess().tokens, newProcess().tokens, newProcess().tokens];
    const tokens = await Promise.all(keepers.flatMap((k) => [k.current(), k.current(), k.check().then((r) => r.accessToken)]));
    expect(fake.tokens.refreshCalls).toBe(before + 1);
    expect(new Set(tokens)).toEqual(new Set([DY.accessToken]));
    const stored = await rig.services.store.getToken(storeKey);
    expect(stored?.accessExpiresAt).toBe(new Date(clock.now() + ACCESS_TTL_MS).toISOString());
  });

  it('renews after the platform calls the token expired and retries the call with the new one', async () => {
    fake.tokens.expireAccessTokens();
    const channel = newProcess();
    const m = fake.textMessage('tok-1', '在吗');
    const calls = fake.tokens.refreshCalls;
    const res = await channel.client.sendText({ msgId: m.serverMessageId, conversationId: fake.conversationOf('tok-1'), toUserId: 'tok-1', scene: 'im_replay_msg', text: '在的' });
    expect(res.platformMsgId).toMatch(/^@sent/);
    expect(fake.tokens.refreshCalls).toBe(calls + 1);
    const fresh = fake.tokens.validAccessTokens();
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).not.toBe(DY.accessToken);
    expect((await rig.services.store.getToken(storeKey))?.accessToken).toBe(fresh[0]);
    // Another process learns it from the store without a refresh of its own.
    expect(await newProcess().tokens.current()).toBe(fresh[0]);
    expect(fake.tokens.refreshCalls).toBe(calls + 1);
  });

  it('warns the managers once, days before the refresh token runs out, with the one action to take', async () => {
    const row = await rig.services.store.getToken(storeKey);
    const refreshAt = Date.parse(row?.refreshExpiresAt ?? '');
    clock.advance(refreshAt - clock.now() - DOUYIN_ALERT_AHEAD_MS - DAY);
    await newProcess().tokens.check();
    expect(await tokenAlerts()).toEqual([]);
    clock.advance(2 * DAY);
    await newProcess().tokens.check();
    await newProcess().tokens.check();
    const alerts = await tokenAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 'warning', title: '抖音私信授权将在 4 天后到期' });
    expect(alerts[0]?.text).toMatch(/重新授权.*DOUYIN_ACCESS_TOKEN、DOUYIN_REFRESH_TOKEN/);
  });

  it('raises a critical alert when the platform refuses the refresh (10010), and the caller gets the token error', async () => {
    fake.tokens.expireRefreshTokens();
    fake.tokens.expireAccessTokens();
    const channel = newProcess();
    const m = fake.textMessage('tok-2', '在吗');
    await expect(
      channel.client.sendText({ msgId: m.serverMessageId, conversationId: fake.conversationOf('tok-2'), toUserId: 'tok-2', scene: 'im_replay_msg', text: 'x' }),
    ).rejects.toMatchObject({ platformCode: 28001008 });
    const critical = (await tokenAlerts()).filter((a) => a.level === 'critical');
    expect(critical.map((a) => a.title)).toEqual(['抖音私信授权续期失败']);
    expect(critical[0]?.text).toMatch(/10010/);
  });
});
