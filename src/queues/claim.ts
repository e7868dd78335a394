/**
 * Claim-once for platform deliveries, shared by every webhook: a Redis key per delivery id that lets the work
 * run once even when the platform re-sends while the first attempt is still running. The key only saves work;
 * the inbox unique index on (channel, platformMsgId) and the BullMQ job ids are the real dedupe.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { AppError } from '../core/errors.js';

/** Longer than any platform retry horizon; the inbox unique index catches later replays anyway. */
const DONE_TTL_S = 3 * 24 * 3600;
/** A claim left by a crashed process expires quickly, so the platform's next retry can process it. */
const CLAIM_TTL_S = 30;
/** How long a duplicate waits for the first delivery to finish before asking the platform to retry. */
const CLAIM_WAIT_MS = 3000;
/** A platform id longer than this is hashed, so one key stays small whatever the platform sends. */
const MAX_ID_IN_KEY = 128;

export function claimKey(prefix: string, channel: string, id: string): string {
  const safe = id.length <= MAX_ID_IN_KEY ? id : createHash('sha1').update(id).digest('hex');
  return `${prefix}:dedupe:${channel}:${safe}`;
}

/**
 * Runs `work` once per key. A duplicate that arrives while the first delivery is still working waits for it
 * (so a 200 always means the work is stored), and a failed first delivery releases the key so a retry can
 * do the work; a finished id is remembered `doneTtlS`. Returns false for a duplicate of finished work; throws a 503 AppError when the first delivery
 * is still running after CLAIM_WAIT_MS (the platform retries later).
 */
export async function claimOnce(redis: Redis, key: string, work: () => Promise<void>, doneTtlS = DONE_TTL_S): Promise<boolean> {
  const deadline = Date.now() + CLAIM_WAIT_MS;
  for (;;) {
    if ((await redis.set(key, 'pending', 'EX', CLAIM_TTL_S, 'NX')) !== null) break;
    const state = await redis.get(key);
    if (state === 'done') return false;
    if (state === null) continue;
    if (Date.now() > deadline) {
      throw new AppError('in_progress', 'the same delivery is still being processed', { status: 503 });
    }
    await sleep(50);
  }
  try {
    await work();
  } catch (err) {
    await redis.del(key).catch(() => undefined);
    throw err;
  }
  await redis.set(key, 'done', 'EX', doneTtlS);
  return true;
}
