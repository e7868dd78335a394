/** Platform tokens (Douyin, 抖店): one row per key, written compare-and-set so two refreshers cannot both win. */
import { describe, expect, it } from 'vitest';
import type { PlatformTokenWrite } from '../../../src/store/types.js';
import type { GetStore } from './fixtures.js';
import { ISO_RE, uniq } from './fixtures.js';

const token = (key: string, over: Partial<PlatformTokenWrite> = {}): PlatformTokenWrite => ({
  key,
  accessToken: 'act.first',
  accessExpiresAt: '2026-12-18T00:00:00.000Z',
  refreshToken: 'rft.first',
  refreshExpiresAt: '2027-01-02T00:00:00.000Z',
  seed: 'seed-1',
  ...over,
});

export function tokenTests(store: GetStore): void {
  describe('platform tokens', () => {
    it('inserts once (version 0 = only if absent), then returns the row as written', async () => {
      const key = uniq('douyin:aw:biz');
      expect(await store().getToken(key)).toBeNull();
      const first = await store().saveToken(token(key), 0);
      expect(first).toEqual({ ...token(key), version: 1, updatedAt: first?.updatedAt });
      expect(first?.updatedAt).toMatch(ISO_RE);
      expect(await store().saveToken(token(key, { accessToken: 'act.other' }), 0)).toBeNull();
      expect(await store().getToken(key)).toEqual(first);
    });

    it('updates only on the expected version, keeps nulls, and leaves other keys alone', async () => {
      const key = uniq('doudian:app:shop');
      const other = uniq('doudian:app:shop');
      await store().saveToken(token(key), 0);
      await store().saveToken(token(other), 0);
      const next = token(key, { accessToken: 'act.second', accessExpiresAt: null, refreshToken: null, refreshExpiresAt: null, seed: 'seed-2' });
      const second = await store().saveToken(next, 1);
      expect(second).toMatchObject({ ...next, version: 2 });
      // A writer that read version 1 lost the race: nothing changes.
      expect(await store().saveToken(token(key, { accessToken: 'act.stale' }), 1)).toBeNull();
      expect(await store().getToken(key)).toEqual(second);
      expect(await store().saveToken(token(uniq('missing')), 3)).toBeNull();
      expect((await store().getToken(other))?.accessToken).toBe('act.first');
    });

    it('is kept when init runs again (a restart re-applies migrations and indexes)', async () => {
      const key = uniq('douyin:aw:biz');
      const saved = await store().saveToken(token(key), 0);
      await store().init();
      expect(await store().getToken(key)).toEqual(saved);
    });
  });
}
