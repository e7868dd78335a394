/**
 * What each person has read: per console user and conversation, the time of the newest message they were shown
 * (a transcript line's `at`), kept in the store's settings so it survives restarts and is the same in every
 * process. Unread = the shopper's lines after that time; a case its assignee never opened counts as new.
 */
import { badRequest } from '../core/errors.js';
import type { Case } from '../core/types.js';
import { buildTranscript, type TranscriptEntry } from '../pipeline/transcript.js';
import type { Services } from '../services.js';

const key = (userId: string, conversationId: string): string => `console.read.${userId}.${conversationId}`;
const PREVIEW_CHARS = 40;

export async function readMark(s: Pick<Services, 'store'>, userId: string, conversationId: string): Promise<string | null> {
  return s.store.getSetting(key(userId, conversationId));
}

/**
 * Records that `userId` saw the conversation up to `upTo` (the newest line the page showed, never later than
 * now). The mark only moves forward, so an older tab cannot make read lines unread again.
 */
export async function markRead(s: Pick<Services, 'store' | 'clock'>, userId: string, conversationId: string, upTo: string): Promise<string> {
  const at = Date.parse(upTo);
  if (!Number.isFinite(at)) throw badRequest('invalid_body', 'upTo: must be an ISO time');
  if (at > s.clock.now() + 60_000) throw badRequest('read_in_future', 'upTo is later than now');
  const iso = new Date(at).toISOString();
  const current = await readMark(s, userId, conversationId);
  if (current !== null && current >= iso) return current;
  await s.store.setSetting(key(userId, conversationId), iso);
  return iso;
}

export interface Glance {
  /** Shopper lines after the person's read mark (after the case opened, when they never read it). */
  unread: number;
  /** Assigned to this person and never opened by them. */
  isNew: boolean;
  /** The newest line, cut to 40 characters; the console words recalled lines and bare attachments itself. */
  lastMessage: { from: TranscriptEntry['from']; text: string; at: string; recalled: boolean; attachment: string | null } | null;
}

function preview(t: TranscriptEntry): NonNullable<Glance['lastMessage']> {
  const text = t.recalled ? '' : t.text.replace(/\s+/g, ' ').trim();
  return {
    from: t.from,
    text: text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text,
    at: t.at,
    recalled: t.recalled === true,
    attachment: t.attachments[0]?.kind ?? null,
  };
}

export async function glance(s: Pick<Services, 'store'>, userId: string | null, c: Case): Promise<Glance> {
  const [lines, mark] = await Promise.all([buildTranscript(s.store, c.conversationId), userId ? readMark(s, userId, c.conversationId) : Promise.resolve(null)]);
  const last = lines[lines.length - 1];
  const since = mark ?? c.createdAt;
  return {
    unread: userId ? lines.filter((t) => t.from === 'customer' && !t.recalled && t.at > since).length : 0,
    isNew: userId !== null && c.assignee === userId && mark === null,
    lastMessage: last ? preview(last) : null,
  };
}
