/**
 * The conversation worker: drains one conversation's pending inbox rows in platform-time order.
 * Order lives in the database (reliability.md §2.4): the trigger job only says "look at this conversation".
 *
 * Crash safety: for each row the bot's result (new state + replies) is committed to the conversation with one
 * compare-and-set that also records the row id; outbox rows are then derived from that record with
 * deterministic keys. A re-run after a crash finds the record and re-derives the same outbox keys, so the
 * customer never gets a reply twice and the bot never applies a message twice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { InboundMessage, OutboundReply } from '../core/types.js';
import { maskId } from '../core/mask.js';
import type { Services } from '../services.js';
import type { Conversation, ConversationPatch, InboxRow } from '../store/types.js';
import type { BotHandler } from './bot.js';
import { outboxKey } from './keys.js';
import { deliver } from './send.js';
import { noteCustomerWhileHuman } from '../handoff/sla.js';
import { noticeWhileWaiting } from '../handoff/waiting.js';

interface PipelineRecord {
  appliedInboxId: string;
  replies: OutboundReply[];
}

export interface DrainOptions {
  settleMs: number;
  /** Max rows per listing; the loop continues until nothing is pending. */
  batch?: number;
}

export async function drainConversation(
  s: Services,
  bot: BotHandler,
  conversationId: string,
  opts: DrainOptions,
): Promise<number> {
  let applied = 0;
  for (;;) {
    const rows = await s.store.listPendingInbound(conversationId, opts.batch ?? 50);
    if (rows.length === 0) return applied;
    for (const row of rows) {
      const age = Date.now() - Date.parse(row.receivedAt);
      if (age < opts.settleMs) {
        // A newer-sent message may still be overtaken by an older one in flight: wait, then list again.
        await sleep(opts.settleMs - age);
        break;
      }
      await applyRow(s, bot, row);
      applied++;
    }
  }
}

async function applyRow(s: Services, bot: BotHandler, row: InboxRow): Promise<void> {
  const end = s.metrics.processing.startTimer({ stage: 'drain' });
  const log = s.log.child({ inboxId: row.id, conversationId: row.conversationId, channel: row.channel });
  for (let attempt = 0; attempt < 8; attempt++) {
    const conv = await s.store.getConversation(row.conversationId);
    if (!conv) throw new Error(`conversation ${row.conversationId} of inbox row ${row.id} is missing`);
    const record = readRecord(conv);
    if (record?.appliedInboxId === row.id) {
      await emitReplies(s, conv, row, record.replies);
      // (After a crash: the clock is restarted; the courtesy notice is not worth the risk of a double.)
      if (conv.mode === 'human' && row.from === 'customer') await noteCustomerWhileHuman(s, conv.id, row.sentAt);
      await s.store.setInboundStatus(row.id, 'processed');
      end();
      return;
    }
    const message = await hydrate(s, row, conv);
    const stale = message.from === 'customer' && conv.lastCustomerAt !== null && message.sentAt < conv.lastCustomerAt;
    if (stale) {
      log.warn({ sentAt: message.sentAt, lastCustomerAt: conv.lastCustomerAt }, 'inbox row older than the conversation cursor: kept as stale, not applied');
      await s.store.setInboundStatus(row.id, 'stale');
      end();
      return;
    }

    const patch = await decide(s, bot, row, message, conv);
    const updated = await s.store.updateConversation(conv.id, conv.version, patch);
    if (!updated) continue; // someone else changed the conversation (agent action, event): decide again
    const replies = readRecord(updated)?.replies ?? [];
    await emitReplies(s, updated, row, replies);
    // Only words written while people already had it: the message that hands over gets the hand-over reply.
    if (conv.mode === 'human' && updated.mode === 'human' && message.from === 'customer') await whilePeopleHaveIt(s, updated, row);
    await s.store.setInboundStatus(row.id, 'processed');
    end();
    return;
  }
  throw new Error(`conversation ${maskId(row.conversationId)} kept changing while applying inbox row ${row.id}`);
}

/** Works out the conversation patch for one message: events, agent messages, or the bot's answer. */
async function decide(
  s: Services,
  bot: BotHandler,
  row: InboxRow,
  message: InboundMessage,
  conv: Conversation,
): Promise<ConversationPatch> {
  const patch: ConversationPatch = {};
  let mode = conv.mode;
  let meta = { ...conv.meta };
  let replies: OutboundReply[] = [];
  let state = conv.state;

  if (message.from === 'customer') {
    patch.lastCustomerAt = Math.max(message.sentAt, conv.lastCustomerAt ?? 0);
    patch.repliesSinceCustomer = 0;
    meta = { ...meta, ...message.meta };
  }
  if (message.from === 'agent') mode = 'human';

  const event = message.event;
  if (event) {
    if (event.type === 'human_took_over') mode = 'human';
    if (event.type === 'human_released') mode = 'bot';
    if (event.type === 'send_failed' && typeof event.data.outboxKey === 'string') {
      await s.store.updateOutbound(event.data.outboxKey, {
        status: 'failed',
        error: `platform reported the message undelivered (${String(event.data.failType ?? 'unknown')})`,
      });
      s.metrics.repliesOut.inc({ channel: row.channel, status: 'failed' });
    }
    if (event.type === 'recalled' && typeof event.data.platformMsgId === 'string') {
      const target = await s.store.findInbound(row.channel, event.data.platformMsgId);
      if (target) await s.store.setInboundStatus(target.id, 'recalled');
    }
  }

  const botTurn = mode === 'bot' && (message.from === 'customer' || event?.type === 'enter_session');
  if (botTurn) {
    const customer = await s.store.getCustomer(conv.customerId);
    const out = await bot({ message, row, conversation: { ...conv, meta, mode }, customer, services: s });
    replies = out.replies.map((r) => ({ ...r, replyTo: message.meta }));
    if (out.state) state = out.state;
    if (out.mode) mode = out.mode;
  }

  const record: PipelineRecord = { appliedInboxId: row.id, replies };
  return { ...patch, mode, state, meta: { ...meta, pipeline: record } };
}

async function hydrate(s: Services, row: InboxRow, conv: Conversation): Promise<InboundMessage> {
  const hydrator = s.hydrators[row.channel];
  const needs = row.message.attachments.some((a) => !a.evidenceId);
  return hydrator && needs ? hydrator.hydrate(row, conv) : row.message;
}

/**
 * Writes the replies to the outbox, then delivers them in order inside this job, so one conversation's
 * replies never overtake each other. A retryable failure throws: the job retries, finds the same rows
 * (same keys) and skips those already sent.
 */
async function emitReplies(s: Services, conv: Conversation, row: InboxRow, replies: OutboundReply[]): Promise<void> {
  const keys = replies.map((_, i) => outboxKey('b', row.id, i));
  for (const [i, reply] of replies.entries()) {
    await s.store.insertOutbound({ key: keys[i] as string, conversationId: conv.id, channel: conv.channel, author: 'bot', reply });
  }
  for (const key of keys) await deliver(s, key);
}

/**
 * The customer wrote while the conversation is with people: their words start the agent's next-response
 * clock, and if nobody has taken the case yet they hear (now and then) where they stand in the queue.
 */
async function whilePeopleHaveIt(s: Services, conv: Conversation, row: InboxRow): Promise<void> {
  await noteCustomerWhileHuman(s, conv.id, row.sentAt);
  await noticeWhileWaiting(s, conv, row);
}

function readRecord(conv: Conversation): PipelineRecord | null {
  const value = conv.meta.pipeline;
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<PipelineRecord>;
  return typeof r.appliedInboxId === 'string' && Array.isArray(r.replies)
    ? { appliedInboxId: r.appliedInboxId, replies: r.replies }
    : null;
}
