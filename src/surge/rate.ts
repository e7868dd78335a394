/**
 * The inbound rate, per clock minute, in Redis: each message the bot reads adds its inbox row id to the set of
 * its minute, so a message the drain runs again is counted once. The usual rate is the mean of the
 * `trailingMinutes` minutes before the current one.
 */
import type { Services } from '../services.js';

const MINUTE_MS = 60_000;

export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS);

export interface Rates {
  minute: number;
  /** Messages in the current minute so far. */
  perMinute: number;
  /** Mean per minute over the trailing window. */
  usual: number;
}

type Deps = Pick<Services, 'redis' | 'config'>;

const bucket = (s: Deps, minute: number): string => `${s.config.queuePrefix}:surge:m:${minute}`;

/** Reads the rates at `now`; with `rowId`, counts that message first (once per row). */
export async function readRates(s: Deps, input: { rowId?: string; now: number; trailingMinutes: number }): Promise<Rates> {
  const minute = minuteOf(input.now);
  const key = bucket(s, minute);
  const tx = s.redis.multi();
  if (input.rowId) tx.sadd(key, input.rowId).expire(key, (input.trailingMinutes + 2) * 60);
  for (let i = 0; i <= input.trailingMinutes; i++) tx.scard(bucket(s, minute - i));
  const replies = (await tx.exec()) ?? [];
  const counts = replies.slice(input.rowId ? 2 : 0).map(([err, value]) => {
    if (err) throw err;
    return Number(value);
  });
  const trailing = counts.slice(1).reduce((a, b) => a + b, 0);
  return { minute, perMinute: counts[0] ?? 0, usual: trailing / input.trailingMinutes };
}
