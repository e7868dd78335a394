/**
 * Password login with a failure limit in Redis, within 15 minutes: 5 failures per username+address → that
 * pair gets 429 with Retry-After. Once a username has 20 failures from all addresses together (a guesser
 * rotating addresses), the slower global back-off starts: every address that has already failed for that user
 * is locked after its first failure. An address with no failure for that user is never locked, so a stranger
 * cannot lock someone out of their own account from elsewhere. A success clears the pair's counter. Unknown
 * users are checked against a dummy hash, so both failures take the same time and give the same answer.
 */
import { createHash } from 'node:crypto';
import { AppError, unauthorized } from '../core/errors.js';
import type { Services } from '../services.js';
import type { ConsoleUser } from '../store/types.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';

export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const MAX_FAILURES_PER_IP = 5;
export const MAX_FAILURES_PER_USER = 20;

type Deps = Pick<Services, 'redis' | 'config' | 'store' | 'log' | 'data'>;

let dummy: Promise<string> | null = null;
const dummyHash = (): Promise<string> => (dummy ??= hashPassword(generatePassword()));

const h = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);
const keys = (s: Deps, username: string, ip: string): { pair: string; user: string } => ({
  pair: `${s.config.queuePrefix}:console:login-fail:${h(`${username}\n${ip}`)}`,
  user: `${s.config.queuePrefix}:console:login-fail-user:${h(username)}`,
});

export class TooManyAttempts extends AppError {
  constructor(book: TemplateBook, readonly retryAfterSeconds: number) {
    super('too_many_attempts', renderTemplate(book, 'console.login.too_many_attempts'), { status: 429 });
  }
}

async function blockedFor(s: Deps, k: { pair: string; user: string }): Promise<number> {
  const res = (await s.redis.multi().get(k.pair).get(k.user).ttl(k.pair).ttl(k.user).exec()) ?? [];
  const [pair = 0, user = 0, pairTtl = 0, userTtl = 0] = res.map(([, v]) => Number(v ?? 0));
  const pairLimit = user >= MAX_FAILURES_PER_USER ? 1 : MAX_FAILURES_PER_IP;
  if (pair < pairLimit) return 0;
  return Math.max(1, pairTtl, user >= MAX_FAILURES_PER_USER ? Math.min(userTtl, LOGIN_WINDOW_SECONDS) : 0);
}

async function recordFailure(s: Deps, k: { pair: string; user: string }): Promise<void> {
  // NX: the window starts at the first failure and is not extended by later ones.
  await s.redis
    .multi()
    .incr(k.pair)
    .expire(k.pair, LOGIN_WINDOW_SECONDS, 'NX')
    .incr(k.user)
    .expire(k.user, LOGIN_WINDOW_SECONDS, 'NX')
    .exec();
}

export const normalizeUsername = (name: string): string => name.trim().normalize('NFKC').toLowerCase();

/** Checks the credentials; the user on success, else 401 `invalid_credentials` or 429 `too_many_attempts`. */
export async function checkLogin(s: Deps, input: { username: string; password: string; ip: string }): Promise<ConsoleUser> {
  const username = normalizeUsername(input.username);
  const k = keys(s, username, input.ip);
  const wait = await blockedFor(s, k);
  if (wait > 0) throw new TooManyAttempts(s.data.templates, wait);
  const user = (await s.store.getUserByName(username)) ?? (username === input.username ? null : await s.store.getUserByName(input.username.trim()));
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !ok) {
    await recordFailure(s, k);
    s.log.info({ component: 'console', ipHash: h(input.ip) }, 'console login failed');
    throw unauthorized('invalid_credentials', renderTemplate(s.data.templates, 'console.login.invalid_credentials'));
  }
  await s.redis.del(k.pair);
  return user;
}
