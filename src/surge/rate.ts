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

/**
 * One script per message instead of a MULTI of trailingMinutes + 3 commands (33 with the default window): the
 * row is counted in its minute (SADD, so a re-run counts once), and the sizes of the current minute and of the
 * trailing minutes come back as two numbers. KEYS: the current minute's set, then the trailing minutes' sets;
 * ARGV: the row id or '' (read only), the current set's lifetime in seconds.
 */
const COUNT_AND_READ = `if ARGV[1] ~= '' then
  redis.call('SADD', KEYS[1], ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
local trailing = 0
for i = 2, #KEYS do
  trailing = trailing + redis.call('SCARD', KEYS[i])
end
return {redis.call('SCARD', KEYS[1]), trailing}`;

/** Reads the rates at `now`; with `rowId`, counts that message first (once per row). */
export async function readRates(s: Deps, input: { rowId?: string; now: number; trailingMinutes: number }): Promise<Rates> {
  const minute = minuteOf(input.now);
  const keys = Array.from({ length: input.trailingMinutes + 1 }, (_, i) => bucket(s, minute - i));
  const reply = (await s.redis.eval(COUNT_AND_READ, keys.length, ...keys, input.rowId ?? '', (input.trailingMinutes + 2) * 60)) as [number, number];
  return { minute, perMinute: Number(reply[0]), usual: Number(reply[1]) / input.trailingMinutes };
}
