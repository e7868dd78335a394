/**
 * Delivers outbox rows as Douyin private-message replies. Every send answers a customer msg_id inside its
 * 24 h; without one the row is held for a person. Busy answers retry with backoff; a token the lifecycle
 * (src/tokens) could not renew fails with a hint for the operator.
 */
import type { DouyinConfig } from '../../../config/load-config.js';
import type { Clock } from '../../core/clock.js';
import { NetworkError, PlatformError } from '../../core/errors.js';
import { maskId } from '../../core/mask.js';
import type { OutboundReply } from '../../core/types.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import type { Conversation, OutboxRow } from '../../store/types.js';
import type { ChannelSender, SendOutcome } from '../types.js';
import type { DouyinClient } from './client.js';
import { REASON_CLOSED, REASON_HUMAN, checkDouyinWindow, pickReplyTarget } from './window.js';

/** Choices become numbered lines: Douyin text messages have no menus. */
export function renderText(reply: OutboundReply): string {
  const parts = [reply.text];
  if (reply.choices && reply.choices.length > 0) {
    parts.push(reply.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n'));
  }
  if (reply.tail) parts.push(reply.tail);
  return parts.filter((p) => p.length > 0).join('\n');
}

export interface SenderDeps {
  config: DouyinConfig;
  client: DouyinClient;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
}

export function createDouyinSender(deps: SenderDeps): ChannelSender {
  const { client, clock, log, metrics } = deps;
  return {
    channel: 'douyin',
    checkWindow: (conv, now, opts) => checkDouyinWindow(conv, now, opts),

    async send(row: OutboxRow, conv: Conversation): Promise<SendOutcome> {
      // Agents may answer in human mode; only the bot must stay quiet (the send worker also checks).
      if (row.author === 'bot' && conv.mode === 'human') return { status: 'held', reason: REASON_HUMAN };
      const target = pickReplyTarget([row.reply.replyTo, conv.meta], clock.now());
      if (!target) return { status: 'held', reason: REASON_CLOSED };
      const conversationId =
        target.conversationId ?? (typeof conv.meta.conversationId === 'string' ? conv.meta.conversationId : null);
      if (!conversationId) return { status: 'held', reason: 'Douyin conversation_id unknown for this conversation' };

      try {
        const res = await client.sendText({
          msgId: target.msgId,
          conversationId,
          // conversationKey is the customer's open_id (see events.ts).
          toUserId: conv.key,
          scene: target.scene,
          text: renderText(row.reply),
        });
        return { status: 'sent', platformMsgId: res.platformMsgId };
      } catch (err) {
        return outcomeOf(err, { log, metrics, key: row.key, customer: conv.key, attempt: row.attempts + 1 });
      }
    },
  };
}

/**
 * Busy / rate-limited answers and network failures are tried again by the job's exponential backoff (send and
 * conversation queues: 1 s, 2 s, 4 s…); after this many tries the row fails for good, so nothing stays stuck.
 */
export const MAX_TRANSIENT_TRIES = 5;

function outcomeOf(
  err: unknown,
  ctx: { log: Logger; metrics: Metrics; key: string; customer: string; attempt: number },
): SendOutcome {
  const transient = err instanceof NetworkError || (err instanceof PlatformError && err.retryable);
  if (transient) {
    const code = err instanceof PlatformError ? err.platformCode : 'network';
    ctx.metrics.errors.inc({ code: `douyin_transient_${String(code)}` });
    if (ctx.attempt >= MAX_TRANSIENT_TRIES) {
      ctx.log.error({ outboxKey: ctx.key, code, attempt: ctx.attempt }, 'douyin send: still busy or unreachable, giving up');
      return { status: 'failed', reason: `${err.message} (gave up after ${ctx.attempt} tries)` };
    }
    ctx.log.warn({ outboxKey: ctx.key, code, attempt: ctx.attempt }, 'douyin send: platform busy or unreachable, will retry');
    return { status: 'retry', reason: err.message };
  }
  if (err instanceof PlatformError) {
    ctx.metrics.errors.inc({ code: `douyin_${String(err.platformCode)}` });
    const reason = err.hint ? `${err.message}. ${err.hint}` : err.message;
    ctx.log.error(
      { outboxKey: ctx.key, customer: maskId(ctx.customer), code: err.platformCode, hint: err.hint },
      'douyin send refused',
    );
    return { status: 'failed', reason };
  }
  throw err;
}
