/**
 * claimOnce against the suite's real Redis: one run per delivery id, a concurrent duplicate waits for the first
 * and then counts as done, and a failed first run frees the id for the platform's retry.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { claimKey, claimOnce } from '../../src/queues/claim.js';

const redis = new Redis(process.env.TEST_REDIS_URL ?? inject('redisUrl'));
const prefix = `t${randomBytes(5).toString('hex')}`;
afterAll(() => redis.quit());

describe('claimOnce', () => {
  it('runs the work once for two concurrent deliveries of one id, and the second waits for the first', async () => {
    const key = claimKey(prefix, 'douyin', 'msg-1');
    let runs = 0;
    let release = (): void => undefined;
    const first = claimOnce(redis, key, async () => {
      runs++;
      await new Promise<void>((resolve) => (release = resolve));
    });
    // The second delivery starts while the first still works: it must not answer before the work is stored.
    // Commands on one connection are answered in order, so once the PING is back its claim attempt was refused.
    let released = false;
    const second = claimOnce(redis, key, async () => {
      runs++;
    }).then((fresh) => ({ fresh, afterRelease: released }));
    await redis.ping();
    released = true;
    release();
    expect(await first).toBe(true);
    expect(await second).toEqual({ fresh: false, afterRelease: true });
    expect(runs).toBe(1);
    expect(await redis.get(key)).toBe('done');
  });

  it('frees the id when the work fails, so the retry does it', async () => {
    const key = claimKey(prefix, 'doudian', 'msg-2');
    await expect(claimOnce(redis, key, () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await redis.get(key)).toBeNull();
    let runs = 0;
    expect(await claimOnce(redis, key, async () => void runs++)).toBe(true);
    expect(runs).toBe(1);
  });

  it('keeps long platform ids to a bounded key', () => {
    const key = claimKey(prefix, 'douyin', 'x'.repeat(500));
    expect(key.length).toBeLessThan(prefix.length + 60);
    expect(claimKey(prefix, 'douyin', 'x'.repeat(500))).toBe(key);
  });
});
