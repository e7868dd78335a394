import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotHandler } from '../../src/pipeline/bot.js';
import { MAX_TURN_ROWS } from '../../src/pipeline/turn.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';

/** A bot that records what it was asked, in the order it was asked, and how many messages each turn held. */
function recordingBot(seen: string[], turnSizes: number[]): BotHandler {
  return async ({ turn, reply }) => {
    seen.push(...turn.map((m) => m.text));
    turnSizes.push(turn.length);
    reply(`收到 ${turn.map((m) => m.text).join(' ')}`);
  };
}

function shuffle<T>(items: T[], seed: number): T[] {
  const a = [...items];
  let x = seed;
  for (let i = a.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

describe('message pipeline ordering and deduplication', () => {
  let h: Harness;
  const seen: string[] = [];
  const turnSizes: number[] = [];

  beforeAll(async () => {
    // The settle time is the reorder tolerance: every message below arrives within it.
    h = await startHarness({ bot: recordingBot(seen, turnSizes), env: { INBOX_SETTLE_MS: '4000' } });
  });
  afterAll(async () => h.stop());

  it('processes 200 messages delivered concurrently, shuffled and duplicated exactly once, in platform-time order', async () => {
    const visitorId = 'order-test-visitor';
    const base = Date.now();
    const messages = Array.from({ length: 200 }, (_, i) => ({ i, text: `m${String(i).padStart(3, '0')}` }));
    const deliveries = shuffle([...messages, ...messages], 42);
    const statuses = await Promise.all(
      deliveries.map(async ({ i, text }) => {
        const res = await fetch(`${h.baseUrl}/simulator/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: `asa_visitor=${visitorId}` },
          body: JSON.stringify({ visitorId, clientMsgId: `c${i}`, sentAt: base + i * 10, text }),
        });
        return res.status;
      }),
    );
    expect(statuses.filter((s) => s === 202)).toHaveLength(200);
    expect(statuses.filter((s) => s === 200)).toHaveLength(200);

    const conv = await waitFor(() => h.services.store.findConversation('web', visitorId));
    await waitFor(async () => (await h.services.store.listPendingInbound(conv.id, 1)).length === 0 && seen.length >= 200, {
      timeoutMs: 60_000,
      what: 'all messages processed',
    });
    expect(seen).toEqual(messages.map((m) => m.text));
    const inbound = await h.services.store.listInbound(conv.id, 1000);
    expect(inbound).toHaveLength(200);
    expect(inbound.every((r) => r.status === 'processed')).toBe(true);
    const outbound = await h.services.store.listOutbound({ conversationId: conv.id, limit: 1000 });
    // Messages ready together are one turn, answered once; a turn never exceeds its cap.
    expect(turnSizes.reduce((a, b) => a + b, 0)).toBe(200);
    expect(Math.max(...turnSizes)).toBeLessThanOrEqual(MAX_TURN_ROWS);
    expect(outbound).toHaveLength(turnSizes.length);
    expect(outbound.every((r) => r.status === 'sent')).toBe(true);
  });
});
