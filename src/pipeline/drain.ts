/**
 * The conversation worker: drains one conversation's pending inbox rows in platform-time order.
 * Order lives in the database, not in the queue: the trigger job only says "look at this conversation".
 *
 * Turns: customer messages that are ready together (settled, or one WeCom sync page) are read by the bot as one
 * turn and answered once (./turn.ts), so a problem and the order number sent right after it never get a
 * question for what was just sent.
 *
 * Crash safety: for each turn the bot's result (new state + reply lines) is committed to the conversation with
 * one compare-and-set that also records the turn's row ids; outbox rows are then derived from that record with
 * deterministic keys (from the turn's first row). A re-run after a crash finds the record and re-derives the
 * same outbox keys, so the customer never gets a reply twice and the bot never applies a message twice.
 *
 * Error boundary: a bot that throws on a turn of several messages reads them again one by one, so only the
 * message it cannot take fails. That row is recorded as failed with its error code, the shopper hears one
 * honest line, the conversation goes to people (PeopleHooks), and the drain goes on with the next row. Store
 * and Redis failures still throw: the job retries them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { InboundMessage, OutboundReply } from '../core/types.js';
import { errorCode } from '../core/errors.js';
import { maskId } from '../core/mask.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import type { Conversation, ConversationPatch, InboxRow } from '../store/types.js';
import { createBotContext, type BotHandler, type PeopleHooks, type ReplyLine } from './bot.js';
import { outboxKey } from './keys.js';
import { writeOutbox } from './outbox.js';
import { deliver } from './send.js';
import { settleMsFor } from './settle.js';
import { mergeTurn, nextTurn } from './turn.js';
import { renderTemplate } from '../../templates/render.js';

interface PipelineRecord {
  /** The turn's first row: the outbox keys derive from it. */
  appliedInboxId: string;
  /** Every row of the turn (absent in records of one row, written before turns). */
  rowIds?: string[];
  /** What the turn says, in order, each with its author. */
  lines: ReplyLine[];
  /** The bot's error code when it threw on this row. */
  failed?: string;
}

export interface DrainOptions {
  settleMs: number;
  people: PeopleHooks;
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
    const head = rows[0];
    if (!head) return applied;
    const next = nextTurn(rows, settleMsFor(head.channel, opts.settleMs), Date.now());
    if ('waitMs' in next) {
      // A newer-sent message may still be overtaken by an older one in flight: wait, then list again.
      await sleep(next.waitMs);
      continue;
    }
    applied += next.rows.length > 1 ? await applyTurn(s, bot, next.rows, opts.people) : (await applyRow(s, bot, head, opts.people), 1);
  }
}

/**
 * Several customer messages answered once. Anything that needs them one by one (people own the chat, one of
 * them is older than the conversation cursor, the bot throws on the whole) hands them to `applyRow` in order.
 * Returns how many rows it settled; the drain lists again for the rest.
 */
async function applyTurn(s: Services, bot: BotHandler, rows: InboxRow[], people: PeopleHooks): Promise<number> {
  const head = rows[0] as InboxRow;
  const end = s.metrics.processing.startTimer({ stage: 'drain' });
  const log = s.log.child({ inboxId: head.id, turnRows: rows.length, conversationId: head.conversationId, channel: head.channel });
  const oneByOne = async (): Promise<number> => {
    end();
    for (const row of rows) await applyRow(s, bot, row, people);
    return rows.length;
  };
  for (let attempt = 0; attempt < 8; attempt++) {
    const conv = await s.store.getConversation(head.conversationId);
    if (!conv) throw new Error(`conversation ${head.conversationId} of inbox row ${head.id} is missing`);
    const record = readRecord(conv);
    if (record && covers(record, head.id)) {
      // Committed before a crash: send what it said (same keys), settle the rows it covers.
      await emitReplies(s, conv, record);
      const done = rows.filter((r) => covers(record, r.id));
      for (const row of done) await s.store.setInboundStatus(row.id, 'processed');
      end();
      return done.length;
    }
    if (conv.mode !== 'bot' || rows.some((r) => conv.lastCustomerAt !== null && r.sentAt < conv.lastCustomerAt)) return oneByOne();
    const messages: InboundMessage[] = [];
    for (const row of rows) messages.push(await hydrate(s, row, conv));
    const decided = await decide(s, bot, rows, messages, conv, log, people);
    if (decided.failed) return oneByOne();
    const updated = await s.store.updateConversation(conv.id, conv.version, decided.patch);
    if (!updated) continue; // someone else changed the conversation (agent action, event): decide again
    const applied = readRecord(updated);
    if (applied) await emitReplies(s, updated, applied);
    for (const row of rows) await s.store.setInboundStatus(row.id, 'processed');
    end();
    return rows.length;
  }
  throw new Error(`conversation ${maskId(head.conversationId)} kept changing while applying inbox row ${head.id}`);
}

const covers = (record: PipelineRecord, rowId: string): boolean => record.appliedInboxId === rowId || (record.rowIds?.includes(rowId) ?? false);

async function applyRow(s: Services, bot: BotHandler, row: InboxRow, people: PeopleHooks): Promise<void> {
  const end = s.metrics.processing.startTimer({ stage: 'drain' });
  const log = s.log.child({ inboxId: row.id, conversationId: row.conversationId, channel: row.channel });
  for (let attempt = 0; attempt < 8; attempt++) {
    const conv = await s.store.getConversation(row.conversationId);
    if (!conv) throw new Error(`conversation ${row.conversationId} of inbox row ${row.id} is missing`);
    const record = readRecord(conv);
    if (record && covers(record, row.id)) {
      await emitReplies(s, conv, record);
      if (record.failed) {
        await finishFailed(s, people, conv, row, record.failed);
      } else {
        // (After a crash: the clock is restarted; the courtesy notice is not worth the risk of a double.)
        if (conv.mode === 'human' && row.from === 'customer') await people.customerWhileHuman(conv, row, { notice: false });
        await s.store.setInboundStatus(row.id, 'processed');
      }
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

    const { patch } = await decide(s, bot, [row], [message], conv, log, people);
    const updated = await s.store.updateConversation(conv.id, conv.version, patch);
    if (!updated) continue; // someone else changed the conversation (agent action, event): decide again
    const applied = readRecord(updated);
    if (applied) await emitReplies(s, updated, applied);
    if (applied?.failed) {
      await finishFailed(s, people, updated, row, applied.failed);
    } else {
      // Only words written while people already had it: the message that hands over gets the hand-over reply.
      if (conv.mode === 'human' && updated.mode === 'human' && message.from === 'customer') await people.customerWhileHuman(updated, row, { notice: true });
      await s.store.setInboundStatus(row.id, 'processed');
    }
    end();
    return;
  }
  throw new Error(`conversation ${maskId(row.conversationId)} kept changing while applying inbox row ${row.id}`);
}

/**
 * Works out the conversation patch for one turn (one message, or several customer messages read together):
 * events, agent messages, or the bot's answer.
 */
async function decide(
  s: Services,
  bot: BotHandler,
  rows: InboxRow[],
  messages: InboundMessage[],
  conv: Conversation,
  log: Logger,
  people: PeopleHooks,
): Promise<{ patch: ConversationPatch; failed?: string }> {
  const row = rows[0] as InboxRow;
  const message = mergeTurn(messages);
  const patch: ConversationPatch = {};
  let mode = conv.mode;
  let meta = { ...conv.meta };
  let lines: ReplyLine[] = [];
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
  let failed: string | undefined;
  if (botTurn) {
    const customer = await s.store.getCustomer(conv.customerId);
    const turn = createBotContext({ message, turn: messages, row, conversation: { ...conv, meta, mode }, customer, services: s, log }, people);
    try {
      const out = await bot(turn.ctx);
      lines = turn.lines.map((l) => ({ ...l, reply: { ...l.reply, replyTo: message.meta } }));
      if (out?.state) state = out.state;
      if (turn.handedOver()) mode = 'human';
    } catch (err) {
      // The message stays answered and the conversation alive: one honest line, then people take it.
      failed = `bot_error:${errorCode(err)}`;
      log.error({ code: failed, frames: stackFrames(err) }, 'the bot failed on this message: handed to people');
      const text = renderTemplate(s.data.templates, 'pipeline.bot_error', {}, { seed: row.sentAt });
      lines = [{ author: 'system', reply: { text, replyTo: message.meta } }];
      mode = 'human';
    }
  }

  const rowIds = rows.length > 1 ? { rowIds: rows.map((r) => r.id) } : {};
  const record: PipelineRecord = { appliedInboxId: row.id, ...rowIds, lines, ...(failed ? { failed } : {}) };
  return { patch: { ...patch, mode, state, meta: { ...meta, pipeline: record } }, ...(failed ? { failed } : {}) };
}

/** A failed row: recorded with its code, then handed to people (idempotent per row, so a re-run is safe). */
async function finishFailed(s: Services, people: PeopleHooks, conv: Conversation, row: InboxRow, code: string): Promise<void> {
  await people.botFailed(conv, row, code);
  await s.store.setInboundStatus(row.id, 'failed', code);
}

/** Where it broke, without the message (which may quote the customer). */
function stackFrames(err: unknown): string | undefined {
  return err instanceof Error ? err.stack?.split('\n').slice(1, 6).map((l) => l.trim()).join(' | ') : undefined;
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
async function emitReplies(s: Services, conv: Conversation, record: PipelineRecord): Promise<void> {
  const keys = record.lines.map((_, i) => outboxKey('b', record.appliedInboxId, i));
  for (const [i, { author, reply }] of record.lines.entries()) {
    await writeOutbox(s, { key: keys[i] as string, conversationId: conv.id, channel: conv.channel, author, reply }, { delivery: 'inline' });
  }
  for (const key of keys) await deliver(s, key);
}

function readRecord(conv: Conversation): PipelineRecord | null {
  const value = conv.meta.pipeline;
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<PipelineRecord> & { replies?: OutboundReply[] };
  if (typeof r.appliedInboxId !== 'string') return null;
  // Records written before replies carried their author were the bot's words.
  const lines = Array.isArray(r.lines) ? r.lines : Array.isArray(r.replies) ? r.replies.map((reply) => ({ author: 'bot' as const, reply })) : null;
  const rowIds = Array.isArray(r.rowIds) && r.rowIds.every((id) => typeof id === 'string') ? { rowIds: r.rowIds } : {};
  return lines ? { appliedInboxId: r.appliedInboxId, ...rowIds, lines, ...(typeof r.failed === 'string' ? { failed: r.failed } : {}) } : null;
}
