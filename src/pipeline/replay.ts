/**
 * The shopper's messages nobody answered while people had the conversation, and their replay once a person hands
 * the conversation back to the bot (交还机器人). Pure: the drain notes each customer message it applies without a
 * bot turn (`meta.unanswered`), an agent's answer clears the list, and the hand-back moves it into a replay marker
 * (`meta.replay`) in the same compare-and-set that gives the conversation back to the bot. The drain then reads
 * those messages as one turn, before anything newer, and clears the marker once the answer is out (./drain.ts).
 */
import type { Conversation, ConversationPatch, InboxRow } from '../store/types.js';
import { readRecord } from './record.js';
import { MAX_TURN_ROWS } from './turn.js';

/** An inbox row as the conversation remembers it: found again by its platform id. */
export interface RowRef {
  id: string;
  platformMsgId: string;
}

export interface Replay {
  /** Which hand-back asked for it: the turn's outbox keys derive from it, so a re-run sends nothing twice. */
  key: string;
  /** Oldest first; at most MAX_TURN_ROWS, the newest kept (a backlog is not one thought, ./turn.ts). */
  rows: RowRef[];
  /** What the shopper hears first: the bot answers again, starting with these messages. */
  notice: string;
}

type Meta = Conversation['meta'];

const isRef = (v: unknown): v is RowRef =>
  typeof v === 'object' && v !== null && typeof (v as RowRef).id === 'string' && typeof (v as RowRef).platformMsgId === 'string';

const refsOf = (v: unknown): RowRef[] => (Array.isArray(v) ? v.filter(isRef) : []);

/** Joins two lists, each row once, oldest first, newest MAX_TURN_ROWS kept. */
function joined(a: RowRef[], b: RowRef[]): RowRef[] {
  const byId = new Map<string, RowRef>();
  for (const r of [...a, ...b]) if (!byId.has(r.id)) byId.set(r.id, r);
  return [...byId.values()].slice(-MAX_TURN_ROWS);
}

export function unansweredOf(meta: Meta): RowRef[] {
  return refsOf(meta.unanswered);
}

/** The customer wrote while people have the conversation and the bot stayed silent. */
export function withUnanswered(meta: Meta, rows: InboxRow[]): Meta {
  return { ...meta, unanswered: joined(unansweredOf(meta), rows.map((r) => ({ id: r.id, platformMsgId: r.platformMsgId }))) };
}

/** Someone answered (a person, or the bot taking its turn): nothing is left waiting. */
export function withoutUnanswered(meta: Meta): Meta {
  if (!('unanswered' in meta)) return meta;
  const { unanswered: _answered, ...rest } = meta;
  return rest;
}

/** The conversation in `mode` with nothing of the shopper's waiting (an agent answered, a case resolved); null when it is. */
export function answeredPatch(conv: Conversation, mode: Conversation['mode']): ConversationPatch | null {
  return conv.mode === mode && !('unanswered' in conv.meta) ? null : { mode, meta: withoutUnanswered(conv.meta) };
}

export function replayOf(conv: Conversation): Replay | null {
  const r = conv.meta.replay as Partial<Replay> | undefined;
  if (typeof r !== 'object' || r === null || typeof r.key !== 'string' || typeof r.notice !== 'string') return null;
  const rows = refsOf(r.rows);
  return rows.length > 0 ? { key: r.key, rows, notice: r.notice } : null;
}

/**
 * The hand-back's conversation change: the bot answers again, and what nobody answered (with what an earlier
 * hand-back left unread, should a person have taken the conversation again meanwhile) is to be replayed under
 * `key`. Null when there is nothing to change.
 */
export function handBackPatch(conv: Conversation, key: string, notice: string): ConversationPatch | null {
  const earlier = replayOf(conv);
  // An earlier replay already answered (its marker not yet cleared) is not carried over: it would be answered twice.
  const unread = earlier && readRecord(conv)?.replay !== earlier.key ? earlier.rows : [];
  const rows = joined(unread, unansweredOf(conv.meta));
  if (rows.length === 0) return conv.mode === 'bot' ? null : { mode: 'bot' };
  return { mode: 'bot', meta: { ...withoutUnanswered(conv.meta), replay: { key, rows, notice } satisfies Replay } };
}

/** The replay is done (or a person took the conversation before it ran: the messages wait for them again). */
export function withoutReplay(conv: Conversation, key: string, opts: { backToPeople: boolean }): ConversationPatch | null {
  const replay = replayOf(conv);
  if (!replay || replay.key !== key) return null;
  const { replay: _done, ...rest } = conv.meta;
  return { meta: opts.backToPeople ? { ...rest, unanswered: joined(replay.rows, unansweredOf(rest)) } : rest };
}
