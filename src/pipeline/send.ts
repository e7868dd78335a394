/**
 * Delivers one outbox row through its channel. Idempotent: a row already sent or failed is left alone,
 * and channels pass the row key to the platform as its idempotency key where one exists.
 * The bot never sends into a closed window: the channel's checkWindow decides first, and a refused row is
 * `held` for a person instead of attempted.
 */
import { changeConversation } from '../store/versioned.js';
import type { Services } from '../services.js';

export class RetryableSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableSendError';
  }
}

export type DeliverResult = 'sent' | 'held' | 'failed' | 'skipped';

export async function deliver(s: Services, key: string): Promise<DeliverResult> {
  const row = await s.store.getOutbound(key);
  if (!row || row.status !== 'pending') return 'skipped';
  const conv = await s.store.getConversation(row.conversationId);
  if (!conv) {
    await s.store.updateOutbound(key, { status: 'failed', error: 'conversation not found' });
    return 'failed';
  }
  const count = (status: string): void => s.metrics.repliesOut.inc({ channel: row.channel, status });

  // A person owns the conversation: the bot's words are held for them (agent and system lines still go out).
  // This is the one place that decides it.
  if (row.author === 'bot' && conv.mode === 'human') {
    await s.store.updateOutbound(key, { status: 'held', error: 'a person owns the conversation' });
    count('held');
    return 'held';
  }
  const sender = s.senders[row.channel];
  if (!sender) {
    await s.store.updateOutbound(key, { status: 'held', error: `channel ${row.channel} is not configured` });
    count('held');
    return 'held';
  }
  const window = sender.checkWindow(conv, s.clock.now(), { proactive: !row.reply.replyTo, author: row.author });
  if (!window.ok) {
    await s.store.updateOutbound(key, { status: 'held', error: window.reason });
    s.log.info({ outboxKey: key, reason: window.reason }, 'reply held: platform window closed');
    count('held');
    return 'held';
  }

  const end = s.metrics.processing.startTimer({ stage: 'send' });
  const outcome = await sender.send(row, conv);
  end();
  const attempts = row.attempts + 1;
  switch (outcome.status) {
    case 'sent': {
      await s.store.updateOutbound(key, {
        status: 'sent',
        attempts,
        error: null,
        platformMsgId: outcome.platformMsgId ?? null,
        sentAt: new Date(s.clock.now()).toISOString(),
      });
      await countReply(s, conv.id);
      count('sent');
      return 'sent';
    }
    case 'held':
      await s.store.updateOutbound(key, { status: 'held', attempts, error: outcome.reason });
      count('held');
      return 'held';
    case 'failed':
      await s.store.updateOutbound(key, { status: 'failed', attempts, error: outcome.reason });
      s.metrics.errors.inc({ code: `send_failed_${row.channel}` });
      count('failed');
      return 'failed';
    case 'retry':
      await s.store.updateOutbound(key, { status: 'pending', attempts, error: outcome.reason });
      count('retry');
      throw new RetryableSendError(outcome.reason);
  }
}

/** Counts a sent reply against the platform budget (WeCom: 5 per customer message). */
async function countReply(s: Services, conversationId: string): Promise<void> {
  // The reply is out either way: a count that keeps losing the race is logged, not retried as a send.
  await changeConversation(s.store, conversationId, (c) => ({ repliesSinceCustomer: c.repliesSinceCustomer + 1 })).catch((err: unknown) =>
    s.log.warn({ conversationId, err: err instanceof Error ? err.message : String(err) }, 'reply not counted against the platform budget'),
  );
}
