/**
 * Console sessions in Redis: a random 32-byte id lives only in the browser's cookie; Redis keeps its SHA-256,
 * so a Redis dump holds no usable session. Sliding idle timeout (12 h) plus an absolute cap (7 days); a
 * per-user index lets a password reset end every session of that person at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Services } from '../services.js';

export const SESSION_COOKIE = 'asa_session';
export const SESSION_IDLE_SECONDS = 12 * 3600;
export const SESSION_MAX_MS = 7 * 24 * 3600 * 1000;
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionRecord {
  userId: string;
  createdAt: number;
}

export interface Session extends SessionRecord {
  /** SHA-256 of the cookie value: the Redis key suffix, safe to log and to pass around. */
  key: string;
}

type Deps = Pick<Services, 'redis' | 'config' | 'clock'>;

const hashId = (id: string): string => createHash('sha256').update(id).digest('hex');
const sessionKey = (s: Deps, key: string): string => `${s.config.queuePrefix}:console:session:${key}`;
const userIndex = (s: Deps, userId: string): string => `${s.config.queuePrefix}:console:user-sessions:${userId}`;

/** Starts a session; returns the cookie value (never stored server-side). */
export async function createSession(s: Deps, userId: string): Promise<{ id: string; session: Session }> {
  const id = randomBytes(32).toString('base64url');
  const key = hashId(id);
  const record: SessionRecord = { userId, createdAt: s.clock.now() };
  await s.redis
    .multi()
    .set(sessionKey(s, key), JSON.stringify(record), 'EX', SESSION_IDLE_SECONDS)
    .sadd(userIndex(s, userId), key)
    .expire(userIndex(s, userId), Math.ceil(SESSION_MAX_MS / 1000))
    .exec();
  return { id, session: { ...record, key } };
}

/** Reads a session by cookie value and slides its idle timeout; null when unknown, expired or malformed. */
export async function readSession(s: Deps, id: string | undefined): Promise<Session | null> {
  if (!id || !ID_PATTERN.test(id)) return null;
  const key = hashId(id);
  const raw = await s.redis.getex(sessionKey(s, key), 'EX', SESSION_IDLE_SECONDS);
  if (!raw) return null;
  let record: SessionRecord;
  try {
    record = JSON.parse(raw) as SessionRecord;
  } catch {
    return null;
  }
  if (typeof record.userId !== 'string' || typeof record.createdAt !== 'number') return null;
  if (s.clock.now() - record.createdAt > SESSION_MAX_MS) {
    await destroySessionByKey(s, key, record.userId);
    return null;
  }
  return { ...record, key };
}

/** Is the session still there (another tab may have logged out)? Does not slide the timeout. */
export async function sessionAlive(s: Deps, key: string): Promise<boolean> {
  return (await s.redis.exists(sessionKey(s, key))) === 1;
}

export async function destroySessionByKey(s: Deps, key: string, userId?: string): Promise<void> {
  const m = s.redis.multi().del(sessionKey(s, key));
  if (userId) m.srem(userIndex(s, userId), key);
  await m.exec();
  closeStreamsOf(key);
}

/** Ends every session of one person (password reset, account change by an admin). */
export async function destroyUserSessions(s: Deps, userId: string, exceptKey?: string): Promise<number> {
  const keys = (await s.redis.smembers(userIndex(s, userId))).filter((k) => k !== exceptKey);
  if (keys.length === 0) return 0;
  await s.redis
    .multi()
    .del(...keys.map((k) => sessionKey(s, k)))
    .srem(userIndex(s, userId), ...keys)
    .exec();
  for (const k of keys) closeStreamsOf(k);
  return keys.length;
}

/** Open live-update streams per session key in this process, so logging out closes them at once. */
const streams = new Map<string, Set<() => void>>();

export function trackStream(key: string, close: () => void): () => void {
  let set = streams.get(key);
  if (!set) streams.set(key, (set = new Set()));
  set.add(close);
  return () => {
    set.delete(close);
    if (set.size === 0) streams.delete(key);
  };
}

function closeStreamsOf(key: string): void {
  const set = streams.get(key);
  if (!set) return;
  streams.delete(key);
  for (const close of set) close();
}
