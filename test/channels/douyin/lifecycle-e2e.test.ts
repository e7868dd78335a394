/**
 * Acceptance through the whole app (web + workers, real Redis and SQLite) against the fake Douyin platform:
 * the access token expires mid-run and replies keep flowing after one automatic refresh; a busy platform
 * (documented transient codes) delays a reply, it does not lose it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDouyin, TRANSIENT } from '../../fakes/douyin/server.js';
import { startHarness, waitFor, type Harness } from '../../helpers/harness.js';
import { DY } from './rig.js';

const REFRESH = 'rft.e2e-lifecycle';
let app: Harness;
let dy: FakeDouyin;

beforeAll(async () => {
  dy = await FakeDouyin.start({ ...DY, refreshToken: REFRESH });
  app = await startHarness({
    env: {
      DOUYIN_CLIENT_KEY: DY.clientKey,
      DOUYIN_CLIENT_SECRET: DY.clientSecret,
      DOUYIN_ACCESS_TOKEN: DY.accessToken,
      DOUYIN_REFRESH_TOKEN: REFRESH,
      DOUYIN_BUSINESS_OPEN_ID: DY.businessOpenId,
      DOUYIN_API_BASE: dy.baseUrl,
    },
  });
  dy.setWebhook(`${app.baseUrl}/webhooks/douyin`);
});
afterAll(async () => {
  await dy?.stop();
  await app?.stop();
});

/** Waits for a reply to `msgId` and for the conversation's outbox to have nothing pending. */
async function repliedTo(openId: string, msgId: string): Promise<void> {
  await waitFor(() => dy.sendsTo(openId).some((s) => s.msgId === msgId), { what: `a reply to ${msgId}` });
  await waitFor(async () => {
    const conv = await app.services.store.findConversation('douyin', openId);
    return conv && (await app.services.store.listOutbound({ conversationId: conv.id, status: 'pending' })).length === 0;
  }, { what: `${openId}'s outbox settled` });
}

describe('Douyin lifecycles end to end', () => {
  it('keeps replying when the token expires mid-run: one refresh, no reply lost or doubled', async () => {
    const first = await dy.customerSays('life-1', '我要退货');
    await repliedTo('life-1', first.serverMessageId);
    const refreshesBefore = dy.tokens.refreshCalls;

    dy.tokens.expireAccessTokens();
    const shoppers = ['life-2', 'life-3', 'life-4'];
    const said = await Promise.all(shoppers.map((id) => dy.customerSays(id, '我要退货')));
    for (const [i, id] of shoppers.entries()) await repliedTo(id, said[i]?.serverMessageId ?? '');

    expect(dy.tokens.refreshCalls).toBe(refreshesBefore + 1);
    const [renewed] = dy.tokens.validAccessTokens();
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(DY.accessToken);
    const stored = await app.services.store.getToken(`douyin:${DY.clientKey}:${DY.businessOpenId}`);
    expect(stored?.accessToken).toBe(renewed);
    for (const id of shoppers) {
      const conv = await app.services.store.findConversation('douyin', id);
      const out = await app.services.store.listOutbound({ conversationId: conv?.id ?? '' });
      expect(out.map((o) => o.status)).not.toContain('failed');
      // Every stored reply reached the platform exactly once.
      expect(dy.sendsTo(id)).toHaveLength(out.filter((o) => o.status === 'sent').length);
    }
    expect(dy.refusals.filter((r) => r.code === 28001008).length).toBeGreaterThan(0);
  });

  it('answers after the platform was busy: the documented transient codes are retried with backoff', async () => {
    dy.failNext.push(TRANSIENT.busy, TRANSIENT.rateLimit);
    const said = await dy.customerSays('life-busy', '我要退货');
    await repliedTo('life-busy', said.serverMessageId);
    expect(dy.refusals.slice(-2).map((r) => r.code)).toEqual([TRANSIENT.busy, TRANSIENT.rateLimit]);
    const conv = await app.services.store.findConversation('douyin', 'life-busy');
    const sent = (await app.services.store.listOutbound({ conversationId: conv?.id ?? '' })).filter((o) => o.status === 'sent');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]?.attempts).toBe(3);
    expect(dy.sendsTo('life-busy').length).toBe(sent.length);
  });
});
