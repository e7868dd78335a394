/**
 * The life of one expiring platform token (Douyin user token, 抖店 shop token). The configured token is only
 * the first one: it is written to the store, and from then on the store holds the newest token and its expiry,
 * for every process and across restarts. The token is refreshed with the platform's refresh flow ahead of its
 * expiry (`check`, run by the watch) and reactively when the platform calls it expired (`renewAfterRejection`).
 * A Redis lock makes one process refresh; the store's compare-and-set makes a lost lock harmless. Managers are
 * alerted days before the refresh token runs out, and at once when a refresh is refused for good.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DELETE_IF_EQUAL } from '../channels/wecom/token-cache.js';
import type { Clock } from '../core/clock.js';
import { NetworkError, PlatformError } from '../core/errors.js';
import type { Logger } from '../log.js';
import type { PlatformToken, Store } from '../store/types.js';
import type { TokenSource } from './source.js';
import type { TokenNotice } from './notices.js';

/** What a refresh returns; times are epoch ms, null when the platform did not say. */
export interface Grant {
  accessToken: string;
  accessExpiresAt: number | null;
  refreshToken: string | null;
  refreshExpiresAt: number | null;
}

export interface KeeperOptions {
  /** Store key, e.g. `douyin:<client_key>:<open_id>`. */
  key: string;
  /** The configured first token (DOUYIN_ACCESS_TOKEN + DOUYIN_REFRESH_TOKEN …). */
  first: { accessToken: string; refreshToken: string | null };
  /** Refresh when the access token has less than this left. */
  refreshAheadMs: number;
  /** Warn the managers when the refresh token has less than this left. */
  alertAheadMs: number;
  /** The platform's refresh flow. PlatformError = refused for good (unless `retryable`), NetworkError = try later. */
  refresh(refreshToken: string): Promise<Grant>;
  /** Raises one alert for the managers (deduplicated by the caller's key). */
  notify(notice: TokenNotice): Promise<void>;
  store: Store;
  redis: Redis;
  clock: Clock;
  log: Logger;
  keyPrefix: string;
  /** How long a process waits for another one's refresh before using what the store has. */
  waitMs?: number;
}

const LOCK_MS = 30_000;
/** The store is re-read at most this often on the hot path; a refusal always re-reads it. */
const CACHE_MS = 30_000;

const time = (iso: string | null): number | null => (iso ? Date.parse(iso) : null);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function seedOf(first: KeeperOptions['first']): string {
  return createHash('sha256').update(`${first.accessToken}\u0000${first.refreshToken ?? ''}`).digest('hex').slice(0, 16);
}

export class TokenKeeper implements TokenSource {
  private cached: { row: PlatformToken; at: number } | null = null;
  private inflight: Promise<PlatformToken> | null = null;
  private readonly lockKey: string;
  private readonly log: Logger;

  constructor(private readonly o: KeeperOptions) {
    this.lockKey = `${o.keyPrefix}:tokens:${o.key}:lock`;
    this.log = o.log.child({ component: 'tokens', token: o.key.split(':')[0] });
  }

  async current(): Promise<string> {
    let row = await this.load(false);
    if (this.isDue(row)) {
      // A failed ahead-of-time refresh is not fatal: the token may still work, and the watch tries again.
      row = await this.renew(row, false).catch((err: unknown) => {
        this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'token refresh ahead of expiry failed');
        return row;
      });
    }
    return row.accessToken;
  }

  async renewAfterRejection(token: string): Promise<string | null> {
    const row = await this.load(true);
    if (row.accessToken !== token) return row.accessToken;
    try {
      const renewed = await this.renew(row, true);
      return renewed.accessToken === token ? null : renewed.accessToken;
    } catch (err) {
      if (err instanceof NetworkError || (err instanceof PlatformError && err.retryable)) throw err;
      return null;
    }
  }

  /** The periodic duty: refresh when due, then warn about a refresh token that is about to run out. */
  async check(): Promise<PlatformToken> {
    let row = await this.load(true);
    // A refresh that fails (platform unreachable for days) must not silence the warning below: that is when the
    // refresh token runs out unrenewed. The failure is reported to the watch after the alerts.
    let failure: unknown = null;
    if (this.isDue(row)) {
      row = await this.renew(row, false).catch((err: unknown) => {
        failure = err;
        return row;
      });
    }
    const refreshAt = time(row.refreshExpiresAt);
    const now = this.o.clock.now();
    if (!row.refreshToken) {
      await this.o.notify({ kind: 'no_refresh', key: this.o.key, seed: row.seed });
    } else if (refreshAt !== null && refreshAt - now < this.o.alertAheadMs) {
      await this.o.notify({ kind: refreshAt <= now ? 'expired' : 'expiring', key: this.o.key, seed: row.seed, refreshExpiresAt: refreshAt });
    }
    if (failure) throw failure;
    return row;
  }

  private isDue(row: PlatformToken): boolean {
    if (!row.refreshToken) return false;
    const expiresAt = time(row.accessExpiresAt);
    // Unknown expiry (a configured first token): refresh once to learn it from the platform.
    return expiresAt === null || expiresAt - this.o.clock.now() < this.o.refreshAheadMs;
  }

  /** The stored row, seeded from the configuration when absent or when the configured token changed. */
  private async load(fresh: boolean): Promise<PlatformToken> {
    const now = this.o.clock.now();
    if (!fresh && this.cached && now - this.cached.at < CACHE_MS) return this.cached.row;
    const seed = seedOf(this.o.first);
    let row = await this.o.store.getToken(this.o.key);
    if (!row || row.seed !== seed) {
      const write = { key: this.o.key, ...this.o.first, accessExpiresAt: null, refreshExpiresAt: null, seed };
      row = (await this.o.store.saveToken(write, row?.version ?? 0)) ?? (await this.o.store.getToken(this.o.key));
      if (!row) throw new Error(`token ${this.o.key} vanished while it was being seeded`);
      if (row.seed === seed) this.log.info('configured token taken as the first token');
    }
    this.cached = { row, at: now };
    return row;
  }

  /** Single flight per process, Redis lock across processes. `rejected`: the platform refused `seen`. */
  private renew(seen: PlatformToken, rejected: boolean): Promise<PlatformToken> {
    this.inflight ??= this.renewLocked(seen, rejected).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async renewLocked(seen: PlatformToken, rejected: boolean): Promise<PlatformToken> {
    const { redis } = this.o;
    const deadline = Date.now() + (this.o.waitMs ?? 15_000);
    let pause = 25;
    for (;;) {
      const lock = randomUUID();
      if (await redis.set(this.lockKey, lock, 'PX', LOCK_MS, 'NX')) {
        try {
          return await this.refreshNow(seen, rejected);
        } finally {
          await redis.eval(DELETE_IF_EQUAL, 1, this.lockKey, lock);
        }
      }
      // Another process is refreshing: its result lands in the store.
      const row = await this.load(true);
      if (row.version !== seen.version) return row;
      if (Date.now() > deadline) return row;
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 250);
    }
  }

  private async refreshNow(seen: PlatformToken, rejected: boolean): Promise<PlatformToken> {
    const row = await this.load(true);
    // Someone refreshed between our read and our lock.
    if (row.version !== seen.version) return row;
    if (!rejected && !this.isDue(row)) return row;
    if (!row.refreshToken) {
      await this.o.notify({ kind: 'no_refresh', key: this.o.key, seed: row.seed });
      return row;
    }
    let grant: Grant;
    try {
      grant = await this.o.refresh(row.refreshToken);
    } catch (err) {
      if (err instanceof PlatformError && !err.retryable) {
        this.log.error({ code: err.platformCode }, 'token refresh refused by the platform');
        await this.o.notify({ kind: 'refused', key: this.o.key, seed: row.seed, code: String(err.platformCode) });
      }
      throw err;
    }
    const saved = await this.o.store.saveToken(
      {
        key: this.o.key,
        accessToken: grant.accessToken,
        accessExpiresAt: iso(grant.accessExpiresAt),
        refreshToken: grant.refreshToken ?? row.refreshToken,
        refreshExpiresAt: iso(grant.refreshExpiresAt) ?? row.refreshExpiresAt,
        seed: row.seed,
      },
      row.version,
    );
    const next = saved ?? (await this.load(true));
    this.cached = { row: next, at: this.o.clock.now() };
    this.log.info({ accessExpiresAt: next.accessExpiresAt, refreshExpiresAt: next.refreshExpiresAt, rejected }, 'token refreshed');
    return next;
  }
}
