/**
 * One sync at a time per kf account, across all processes, without losing a callback:
 * every request first raises a per-account "dirty" flag (holding the newest callback token), then tries the
 * Redis lock. The holder keeps pulling while the flag is raised, and looks once more after releasing the lock,
 * so a callback that arrives while another sync runs is served by that sync instead of waiting or being dropped.
 */
import { randomUUID } from 'node:crypto';
import { maskId } from '../../core/mask.js';
import type { WecomClient } from './client.js';
import { syncAccount, type SyncServices } from './sync.js';
import { DELETE_IF_EQUAL } from './token-cache.js';

const EXTEND_IF_EQUAL = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;

/** Lock lifetime, renewed after every page and every run; a crashed holder frees it within this time. */
export const SYNC_LOCK_MS = 60_000;
/** Callback tokens are valid 10 min; the flag lives as long, so a later run can still use it. */
const DIRTY_TTL_S = 600;
const NO_TOKEN = '-';

export interface SyncRunOutcome {
  /** False when another process held the lock and took over our request through the dirty flag. */
  ran: boolean;
  ingested: number;
  /** When not run: how long the lock may still be held (a crashed holder keeps it until it expires). */
  lockTtlMs: number;
}

export async function requestSync(
  s: SyncServices,
  client: WecomClient,
  openKfId: string,
  token: string | null,
): Promise<SyncRunOutcome> {
  const base = `${s.config.queuePrefix}:wecom:sync:${openKfId}`;
  const lockKey = `${base}:lock`;
  const dirtyKey = `${base}:dirty`;
  await s.redis.set(dirtyKey, token ?? NO_TOKEN, 'EX', DIRTY_TTL_S);
  let ran = false;
  let ingested = 0;
  for (;;) {
    const lockValue = randomUUID();
    if (!(await s.redis.set(lockKey, lockValue, 'PX', SYNC_LOCK_MS, 'NX'))) {
      return { ran, ingested, lockTtlMs: ran ? 0 : Math.max(0, await s.redis.pttl(lockKey)) };
    }
    ran = true;
    const renew = async (): Promise<void> => {
      const ok = await s.redis.eval(EXTEND_IF_EQUAL, 1, lockKey, lockValue, String(SYNC_LOCK_MS));
      if (ok !== 1) s.log.warn({ openKfId: maskId(openKfId) }, 'kf sync lock lost (run longer than the lock); continuing');
    };
    let current = token ?? NO_TOKEN;
    try {
      for (;;) {
        const flagged = await s.redis.getdel(dirtyKey);
        if (flagged === null) break;
        current = flagged;
        const result = await syncAccount(s, client, {
          openKfId,
          token: flagged === NO_TOKEN ? null : flagged,
          onPage: renew,
        });
        ingested += result.ingested;
        // A backlog longer than one run continues in the next loop turn, without the used token.
        if (result.more) await s.redis.set(dirtyKey, NO_TOKEN, 'EX', DIRTY_TTL_S, 'NX');
      }
    } catch (err) {
      // Keep the request alive for the job's retry (or whoever runs next).
      await s.redis.set(dirtyKey, current, 'EX', DIRTY_TTL_S, 'NX');
      throw err;
    } finally {
      await s.redis.eval(DELETE_IF_EQUAL, 1, lockKey, lockValue);
    }
    // A request that raised the flag after our last look but before the release found the lock taken.
    if ((await s.redis.exists(dirtyKey)) === 0) return { ran, ingested, lockTtlMs: 0 };
  }
}
