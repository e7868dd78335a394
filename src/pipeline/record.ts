/**
 * What a turn committed to its conversation (`meta.pipeline`), in the same compare-and-set as the bot's new state:
 * the rows it covers and the lines it says. Replies are derived from it with deterministic keys, so a re-run
 * after a crash finds the record and sends the same rows again (skipped once sent), never a second answer.
 */
import type { OutboundReply } from '../core/types.js';
import type { Services } from '../services.js';
import type { Conversation } from '../store/types.js';
import type { ReplyLine } from './bot.js';
import { outboxKey } from './keys.js';
import { writeOutbox } from './outbox.js';
import { deliver } from './send.js';

export interface PipelineRecord {
  /** The turn's first row: the outbox keys derive from it. */
  appliedInboxId: string;
  /** Every row of the turn (absent in records of one row, written before turns). */
  rowIds?: string[];
  /** What the turn says, in order, each with its author. */
  lines: ReplyLine[];
  /** The bot's error code when it threw on this row. */
  failed?: string;
  /** The hand-back whose replay this turn is (./replay.ts): its keys differ from the rows' first reading. */
  replay?: string;
}

export const covers = (record: PipelineRecord, rowId: string): boolean => record.appliedInboxId === rowId || (record.rowIds?.includes(rowId) ?? false);

/**
 * Writes the replies to the outbox, then delivers them in order inside this job, so one conversation's
 * replies never overtake each other. A retryable failure throws: the job retries, finds the same rows
 * (same keys) and skips those already sent.
 */
export async function emitReplies(s: Services, conv: Conversation, record: PipelineRecord): Promise<void> {
  const base = record.replay ? [record.appliedInboxId, record.replay] : [record.appliedInboxId];
  const keys = record.lines.map((_, i) => outboxKey('b', ...base, i));
  for (const [i, { author, reply }] of record.lines.entries()) {
    await writeOutbox(s, { key: keys[i] as string, conversationId: conv.id, channel: conv.channel, author, reply }, { delivery: 'inline' });
  }
  for (const key of keys) await deliver(s, key);
}

export function readRecord(conv: Pick<Conversation, 'meta'>): PipelineRecord | null {
  const value = conv.meta.pipeline;
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<PipelineRecord> & { replies?: OutboundReply[] };
  if (typeof r.appliedInboxId !== 'string') return null;
  // Records written before replies carried their author were the bot's words.
  const lines = Array.isArray(r.lines) ? r.lines : Array.isArray(r.replies) ? r.replies.map((reply) => ({ author: 'bot' as const, reply })) : null;
  const rowIds = Array.isArray(r.rowIds) && r.rowIds.every((id) => typeof id === 'string') ? { rowIds: r.rowIds } : {};
  const failed = typeof r.failed === 'string' ? { failed: r.failed } : {};
  const replay = typeof r.replay === 'string' ? { replay: r.replay } : {};
  return lines ? { appliedInboxId: r.appliedInboxId, ...rowIds, lines, ...failed, ...replay } : null;
}
