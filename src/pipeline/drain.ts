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
 * After 交还机器人 the messages nobody answered while people had the conversation are read first, as one turn
 * (./replay.ts), under the same record and compare-and-set; the hand-back only marks them and triggers the drain.
 *
 * Error boundary: a bot that throws on a turn of several messages reads them again one by one, so only the
 * message it cannot take fails. That row is recorded as failed with its error code, the shopper hears one
 * honest line, the conversation goes to people (PeopleHooks), and the drain goes on with the next row. Store
 * and Redis failures still throw: the job retries them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Hydrated } from '../channels/types.js';
import { errorCode } from '../core/errors.js';
import { maskId } from '../core/mask.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import { changeConversation } from '../store/versioned.js';
import type { Conversation, ConversationPatch, InboxRow } from '../store/types.js';
import { createBotContext, type BotHandler, type PeopleHooks, type ReplyLine } from './bot.js';
import { covers, emitReplies, readRecord, type PipelineRecord } from './record.js';
import { replayOf, withoutReplay, withUnanswered, withoutUnanswered, type Replay } from './replay.js';
import { settleMsFor } from './settle.js';
import { mergeTurn, nextTurn } from './turn.js';
import { renderTemplate } from '../../templates/render.js';

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
  let applied = await replayAfterHandBack(s, bot, conversationId, opts.people);
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
    const hydrated: Hydrated[] = [];
    for (const row of rows) hydrated.push(await hydrate(s, row, conv));
    const decided = await decide(s, bot, rows, hydrated, conv, log, people);
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

/**
 * After 交还机器人: the messages nobody answered while people had the conversation, read as one turn, the
 * shopper first hearing that the bot answers again. The commit keeps the marker; the answer is sent from the
 * record and only then the marker cleared, so a re-run sends the same lines again (same keys), never new ones.
 * A person who took the conversation back before this ran gets the messages back as unanswered.
 */
async function replayAfterHandBack(s: Services, bot: BotHandler, conversationId: string, people: PeopleHooks): Promise<number> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const conv = await s.store.getConversation(conversationId);
    const replay = conv ? replayOf(conv) : null;
    if (!conv || !replay) return 0;
    const rows = await replayRows(s, conv, replay);
    const record = readRecord(conv);
    if (record?.replay === replay.key) {
      // Committed (now, or before a crash): send what it says with the same keys, then the marker goes.
      await emitReplies(s, conv, record);
      const head = rows.find((r) => r.id === record.appliedInboxId);
      if (record.failed && head) await finishFailed(s, people, conv, head, record.failed);
      await changeConversation(s.store, conv.id, (c) => withoutReplay(c, replay.key, { backToPeople: false }));
      return rows.length;
    }
    if (conv.mode !== 'bot' || rows.length === 0) {
      await changeConversation(s.store, conv.id, (c) => withoutReplay(c, replay.key, { backToPeople: c.mode !== 'bot' }));
      return 0;
    }
    const log = s.log.child({ inboxId: rows[0]?.id, turnRows: rows.length, conversationId, channel: conv.channel, replay: replay.key });
    // Any notice about these messages (a picture not kept) was said when they first came in: not again.
    const messages: Hydrated[] = [];
    for (const row of rows) messages.push({ message: (await hydrate(s, row, conv)).message, notices: [] });
    const { patch } = await decide(s, bot, rows, messages, conv, log, people);
    const decided = readRecord({ meta: patch.meta ?? {} }) as PipelineRecord;
    const notice: ReplyLine = { author: 'system', reply: { text: replay.notice, replyTo: mergeTurn(messages.map((h) => h.message)).meta } };
    const replayed: PipelineRecord = { ...decided, replay: replay.key, lines: [notice, ...decided.lines] };
    // The shopper wrote nothing new: the platform's reply budget since their last message is not reset.
    const { repliesSinceCustomer: _unchanged, ...rest } = patch;
    // Committed or not, the next pass reads the conversation again: it sends what was committed, or decides anew.
    await s.store.updateConversation(conv.id, conv.version, { ...rest, meta: { ...patch.meta, pipeline: replayed } });
  }
  throw new Error(`conversation ${maskId(conversationId)} kept changing while replaying after a hand-back`);
}

/** The marked rows still there to answer (a recalled message is not answered), oldest first. */
async function replayRows(s: Services, conv: Conversation, replay: Replay): Promise<InboxRow[]> {
  const rows: InboxRow[] = [];
  for (const ref of replay.rows) {
    const row = await s.store.findInbound(conv.channel, ref.platformMsgId);
    if (row && row.id === ref.id && row.conversationId === conv.id && row.status !== 'recalled') rows.push(row);
  }
  return rows;
}

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
    const hydrated = await hydrate(s, row, conv);
    const { message } = hydrated;
    const stale = message.from === 'customer' && conv.lastCustomerAt !== null && message.sentAt < conv.lastCustomerAt;
    if (stale) {
      log.warn({ sentAt: message.sentAt, lastCustomerAt: conv.lastCustomerAt }, 'inbox row older than the conversation cursor: kept as stale, not applied');
      await s.store.setInboundStatus(row.id, 'stale');
      end();
      return;
    }

    const { patch } = await decide(s, bot, [row], [hydrated], conv, log, people);
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
 * events, agent messages, or the bot's answer, after the channel's notices about the turn's messages.
 */
async function decide(
  s: Services,
  bot: BotHandler,
  rows: InboxRow[],
  hydrated: Hydrated[],
  conv: Conversation,
  log: Logger,
  people: PeopleHooks,
): Promise<{ patch: ConversationPatch; failed?: string }> {
  const row = rows[0] as InboxRow;
  const messages = hydrated.map((h) => h.message);
  const message = mergeTurn(messages);
  // Each notice answers its own message (its msg_id), whoever owns the conversation: it is a system line.
  const notices: ReplyLine[] = hydrated.flatMap((h) => h.notices.map((text) => ({ author: 'system' as const, reply: { text, replyTo: h.message.meta } })));
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
  if (message.from === 'agent') {
    mode = 'human';
    meta = withoutUnanswered(meta);
  }

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
  // What the shopper writes while people have the conversation waits for an answer (replayed after a hand-back).
  if (botTurn) meta = withoutUnanswered(meta);
  else if (mode === 'human' && message.from === 'customer' && !event) meta = withUnanswered(meta, rows);
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
  const record: PipelineRecord = { appliedInboxId: row.id, ...rowIds, lines: [...notices, ...lines], ...(failed ? { failed } : {}) };
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

async function hydrate(s: Services, row: InboxRow, conv: Conversation): Promise<Hydrated> {
  const hydrator = s.hydrators[row.channel];
  const needs = row.message.attachments.some((a) => !a.evidenceId);
  return hydrator && needs ? hydrator.hydrate(row, conv) : { message: row.message, notices: [] };
}
