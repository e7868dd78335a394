/**
 * Inbound side of the pipeline: every message becomes an inbox row (unique per channel + platform id)
 * BEFORE the webhook answers, then its conversation gets one trigger job. The trigger is deduplicated per
 * conversation (at most one active and one waiting) and delayed by the settle time, so messages that the
 * platform delivers slightly out of order are drained in platform-time order.
 *
 * A platform time far in the future (a skewed or forged create_time) is clamped to the time of receipt: the
 * conversation cursor follows the newest customer time, so one such message would otherwise make every later
 * message look older than it and be kept as stale, silencing the conversation. The original time stays in meta.
 */
import type { Ingest, IngestResult } from '../channels/types.js';
import type { InboundMessage } from '../core/types.js';
import type { BaseServices } from '../services.js';
import { settleMsFor } from './settle.js';

export interface IngestOptions {
  /** How long a fresh row waits before it is applied, to let earlier-sent messages catch up. */
  settleMs: number;
}

const INGEST_STAGE = { stage: 'ingest' } as const;

export function createIngest(s: BaseServices, opts: IngestOptions): Ingest {
  // Conversations are never deleted and their keys never change, so the id for a (channel, key) can be
  // remembered: the hot path then costs one insert and one queue call.
  const known = new Map<string, string>();
  const conversationIdOf = async (message: InboundMessage): Promise<string> => {
    const cacheKey = `${message.channel}\u0000${message.conversationKey}`;
    const cached = known.get(cacheKey);
    if (cached) return cached;
    const customer = await s.store.upsertCustomer({ channel: message.channel, platformUserId: message.platformUserId });
    const conversation = await s.store.getOrCreateConversation({
      channel: message.channel,
      key: message.conversationKey,
      customerId: customer.id,
    });
    if (known.size >= 50_000) known.clear();
    known.set(cacheKey, conversation.id);
    return conversation.id;
  };
  return async (messages: InboundMessage[]): Promise<IngestResult[]> => {
    const started = performance.now();
    const results: IngestResult[] = [];
    const touched = new Map<string, InboundMessage['channel']>();
    for (const given of messages) {
      const message = clampFuture(s, given);
      const conversationId = await conversationIdOf(message);
      const { inserted, row } = await s.store.insertInbound(conversationId, message);
      s.metrics.messagesIn.inc({ channel: message.channel, result: inserted ? 'accepted' : 'duplicate' });
      // A platform retry of a message whose first attempt failed after the insert (Redis down) must still
      // trigger its conversation: the trigger is deduplicated, so re-adding it is free.
      if (inserted || row.status === 'pending') touched.set(conversationId, message.channel);
      results.push({ platformMsgId: message.platformMsgId, conversationId, inserted });
    }
    // Every row above is committed, so each add below reaches Redis after the rows it covers. The adds of a
    // batch are independent and run side by side (one timeout for all instead of one per conversation);
    // allSettled, so that no rejection is left unobserved.
    const ids = [...touched.keys()];
    const outcomes = await Promise.allSettled(
      [...touched].map(([id, channel]) => withTimeout(triggerConversation(s, id, settleMsFor(channel, opts.settleMs)), TRIGGER_TIMEOUT_MS)),
    );
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') return;
      // The inbox row is already durable: the reconciler triggers it once Redis answers again, so the
      // platform still gets its acknowledgement instead of retrying into the same outage.
      const err: unknown = outcome.reason;
      s.metrics.errors.inc({ code: 'trigger_failed' });
      s.log.warn({ conversationId: ids[i], err: err instanceof Error ? err.message : String(err) }, 'could not enqueue trigger; reconciler will pick it up');
    });
    s.metrics.processing.observe(INGEST_STAGE, (performance.now() - started) / 1000);
    return results;
  };
}

const TRIGGER_TIMEOUT_MS = 1500;
/** How far ahead of our clock a platform time may be before it is not believed (clock skew between hosts). */
export const FUTURE_TOLERANCE_MS = 10 * 60 * 1000;

function clampFuture(s: Pick<BaseServices, 'clock' | 'log' | 'metrics'>, message: InboundMessage): InboundMessage {
  const now = s.clock.now();
  if (message.sentAt <= now + FUTURE_TOLERANCE_MS) return message;
  s.metrics.errors.inc({ code: 'sent_at_in_future' });
  s.log.warn({ channel: message.channel, aheadMs: message.sentAt - now }, 'platform time far in the future: clamped to the time of receipt');
  return { ...message, sentAt: now, meta: { ...message.meta, platformSentAt: message.sentAt } };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function triggerConversation(s: Pick<BaseServices, 'queues'>, conversationId: string, delayMs = 0): Promise<void> {
  await s.queues.add(
    'conversation',
    { conversationId },
    { deduplication: { id: `conv-${conversationId}`, keepLastIfActive: true }, delay: delayMs },
  );
}
