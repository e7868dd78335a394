/**
 * The kf access_token, cached in Redis and shared by every process (WeCom 微信客服 docs: gettoken is
 * frequency-limited and a token may be revoked early). Refreshing is single-flight twice over: one promise per
 * process, and a Redis lock across processes, so 50 jobs hitting an expired token cause one gettoken.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Deletes KEYS[1] only while it still holds ARGV[1]: safe lock release and compare-and-invalidate. */
export const DELETE_IF_EQUAL = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export interface TokenCacheOptions {
  redis: Redis;
  keyPrefix: string;
  corpId: string;
  secret: string;
  /** Calls gettoken; returns the token and its lifetime in seconds. */
  fetchToken(): Promise<{ token: string; expiresIn: number }>;
  /** How long to wait for another process's refresh before giving up. */
  waitMs?: number;
}

const LOCK_MS = 10_000;
/** Refresh this long before WeCom's expiry so a token is never used in its last minutes. */
const EARLY_MS = 300_000;

export class TokenCache {
  private readonly key: string;
  private readonly lockKey: string;
  private inflight: Promise<string> | null = null;

  constructor(private readonly opts: TokenCacheOptions) {
    // The secret is part of the identity (a rotated secret must not reuse the old token) but never stored.
    const secretHash = createHash('sha256').update(opts.secret).digest('hex').slice(0, 12);
    this.key = `${opts.keyPrefix}:wecom:token:${opts.corpId}:${secretHash}`;
    this.lockKey = `${this.key}:lock`;
  }

  get(): Promise<string> {
    if (!this.inflight) {
      this.inflight = this.load().finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  /** Forgets the cached token, but only if it is still the one that failed (another process may have renewed). */
  async invalidate(failed: string): Promise<void> {
    await this.opts.redis.eval(DELETE_IF_EQUAL, 1, this.key, failed);
  }

  private async load(): Promise<string> {
    const { redis } = this.opts;
    const deadline = Date.now() + (this.opts.waitMs ?? 15_000);
    let pause = 20;
    for (;;) {
      const cached = await redis.get(this.key);
      if (cached) return cached;
      const lockValue = randomUUID();
      if (await redis.set(this.lockKey, lockValue, 'PX', LOCK_MS, 'NX')) {
        try {
          // Another process may have stored a token between our GET and our lock.
          const again = await redis.get(this.key);
          if (again) return again;
          const { token, expiresIn } = await this.opts.fetchToken();
          const ttl = Math.max(1_000, expiresIn * 1000 - EARLY_MS);
          await redis.set(this.key, token, 'PX', ttl);
          return token;
        } finally {
          await redis.eval(DELETE_IF_EQUAL, 1, this.lockKey, lockValue);
        }
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for another process to refresh the WeCom token');
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 200);
    }
  }
}
