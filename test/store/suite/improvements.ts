/** Improvement items (改进单): created open, listed newest first by owner/status/key, updated compare-and-set. */
import { describe, expect, it } from 'vitest';
import type { NewImprovement } from '../../../src/store/types.js';
import type { GetStore } from './fixtures.js';
import { ISO_RE, UUID_RE, uniq } from './fixtures.js';

const item = (over: Partial<NewImprovement> = {}): NewImprovement => ({
  dimension: 'carrier',
  key: '中通快递',
  cause: 'carrier',
  ownerId: uniq('owner'),
  action: '与中通对账破损件，改用加厚纸箱',
  dueDate: '2026-03-25',
  source: 'spike',
  createdBy: uniq('manager'),
  ...over,
});

export function improvementTests(store: GetStore): void {
  describe('improvement items', () => {
    it('creates an open item at version 1 and reads it back as written', async () => {
      const input = item({ source: 'case', sourceCaseId: uniq('case') });
      const created = await store().createImprovement(input);
      expect(created).toEqual({
        ...input,
        id: created.id,
        status: 'open',
        doneAt: null,
        doneBy: null,
        closedAt: null,
        closedBy: null,
        reopenCount: 0,
        version: 1,
        createdAt: created.createdAt,
        updatedAt: created.createdAt,
      });
      expect(created.id).toMatch(UUID_RE);
      expect(created.createdAt).toMatch(ISO_RE);
      expect(await store().getImprovement(created.id)).toEqual(created);
      expect(await store().getImprovement(uniq('missing'))).toBeNull();
      expect((await store().createImprovement(item())).sourceCaseId).toBeNull();
    });

    it('updates only on the expected version and only the fields given', async () => {
      const created = await store().createImprovement(item());
      const done = await store().updateImprovement(created.id, 1, { status: 'done', doneAt: '2026-03-20T02:00:00.000Z', doneBy: created.ownerId });
      expect(done).toMatchObject({ status: 'done', doneAt: '2026-03-20T02:00:00.000Z', doneBy: created.ownerId, action: created.action, version: 2 });
      // A writer that read version 1 lost: nothing changes.
      expect(await store().updateImprovement(created.id, 1, { status: 'closed' })).toBeNull();
      expect(await store().getImprovement(created.id)).toEqual(done);
      expect(await store().updateImprovement(uniq('missing'), 1, { status: 'closed' })).toBeNull();
      const reopened = await store().updateImprovement(created.id, 2, { status: 'open', doneAt: null, doneBy: null, reopenCount: 1, dueDate: '2026-04-01' });
      expect(reopened).toMatchObject({ status: 'open', doneAt: null, doneBy: null, reopenCount: 1, dueDate: '2026-04-01', version: 3 });
    });

    it('lists newest first, narrowed by owner, status and key, with a limit', async () => {
      const owner = uniq('owner');
      const key = uniq('product');
      const a = await store().createImprovement(item({ ownerId: owner }));
      await new Promise((r) => setImmediate(r));
      const b = await store().createImprovement(item({ ownerId: owner, dimension: 'product', key, cause: 'supplier' }));
      await store().createImprovement(item());
      await store().updateImprovement(a.id, 1, { status: 'done' });
      const mine = await store().listImprovements({ ownerId: owner });
      expect(mine.map((i) => i.id)).toEqual(b.createdAt === a.createdAt ? [a.id, b.id].sort().reverse() : [b.id, a.id]);
      expect((await store().listImprovements({ ownerId: owner, status: 'done' })).map((i) => i.id)).toEqual([a.id]);
      expect((await store().listImprovements({ dimension: 'product', key })).map((i) => i.id)).toEqual([b.id]);
      expect(await store().listImprovements({ ownerId: owner, limit: 1 })).toHaveLength(1);
      expect(await store().listImprovements({ ownerId: uniq('nobody') })).toEqual([]);
    });
  });
}
