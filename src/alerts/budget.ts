/**
 * Send budgets shared by every process through Redis: a sliding-window log per key (a sorted set of send
 * times). WeCom's robot allows 20 messages a minute, app messages 30 a minute and 1000 an hour per member, and
 * the excess is refused (45009) or silently dropped, so we count before sending, never after.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface Window {
  key: string;
  limit: number;
  windowMs: number;
}

/**
 * KEYS: the windows; ARGV: now, member, then limit and window length per key, then the block key count and
 * "blocked until" keys follow as the last KEYS. All windows must have room, or nothing is taken; the answer
 * is 0 when taken, else the time (ms) at which the fullest window frees a slot.
 */
const TAKE = `
local now = tonumber(ARGV[1])
local member = ARGV[2]
local n = tonumber(ARGV[3])
local wait = 0
for i = 1, #KEYS do
  if i > n then
    local blocked = tonumber(redis.call('get', KEYS[i]) or '0')
    if blocked > now and blocked > wait then wait = blocked end
  else
    local limit = tonumber(ARGV[2 + i * 2])
    local window = tonumber(ARGV[3 + i * 2])
    redis.call('zremrangebyscore', KEYS[i], '-inf', now - window)
    if redis.call('zcard', KEYS[i]) >= limit then
      local oldest = redis.call('zrange', KEYS[i], 0, 0, 'WITHSCORES')
      local free = tonumber(oldest[2]) + window + 1
      if free > wait then wait = free end
    end
  end
end
if wait > 0 then return wait end
for i = 1, n do
  redis.call('zadd', KEYS[i], now, member)
  redis.call('pexpire', KEYS[i], tonumber(ARGV[3 + i * 2]) + 60000)
end
return 0
`;

export interface Budget {
  /** Takes one slot in every window at `now`: `{ok:true}`, or the time when all could have room again. */
  take(windows: Window[], blockKeys: string[], now: number): Promise<{ ok: true } | { ok: false; retryAt: number }>;
  /** Records a platform refusal (45009): nothing is sent on `key` before `until`. */
  block(blockKey: string, until: number, now: number): Promise<void>;
}

export function createBudget(redis: Redis): Budget {
  return {
    async take(windows, blockKeys, now) {
      const member = `${now}:${randomBytes(6).toString('hex')}`;
      const args: (string | number)[] = [now, member, windows.length];
      for (const w of windows) args.push(w.limit, w.windowMs);
      const out = await redis.eval(TAKE, windows.length + blockKeys.length, ...windows.map((w) => w.key), ...blockKeys, ...args);
      const wait = Number(out);
      return wait > 0 ? { ok: false, retryAt: wait } : { ok: true };
    },
    async block(blockKey, until, now) {
      // Keeps the later of two blocks; the key outlives the block a little, then expires.
      const current = Number((await redis.get(blockKey)) ?? 0);
      if (current >= until) return;
      await redis.set(blockKey, String(until), 'PX', Math.max(0, until - now) + 120_000);
    },
  };
}
