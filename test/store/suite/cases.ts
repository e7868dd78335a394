/** Cases: defaults, compare-and-set updates, newest-first cursor paging with filters. */
import { describe, expect, it } from 'vitest';
import type { Case, CaseCategory, CaseStatus, Channel } from '../../../src/core/types.js';
import { RESOLUTIONS } from '../../../src/core/types.js';
import type { CaseFilter, CasePatch } from '../../../src/store/types.js';
import type { GetStore } from './fixtures.js';
import { concurrently, ISO_RE, seedConversation, UUID_RE } from './fixtures.js';

const STATUSES: CaseStatus[] = ['collecting', 'open', 'escalated', 'assigned', 'resolved', 'closed'];
const CATEGORIES: CaseCategory[] = ['quality', 'logistics', 'wrong_item', 'false_ad', 'service', 'no_fault_return'];

/** Newest first: createdAt desc, then id desc (plain code-unit order, as the databases compare ASCII). */
const newestFirst = (a: Case, b: Case): number =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;

export function caseTests(store: GetStore): void {
  async function pageAll(filter: CaseFilter): Promise<{ items: Case[]; pages: number }> {
    const items: Case[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await store().listCases({ ...filter, ...(cursor ? { cursor } : {}) });
      pages += 1;
      items.push(...page.items);
      if (page.nextCursor === null) break;
      expect(typeof page.nextCursor).toBe('string');
      cursor = page.nextCursor;
      if (pages > 100) throw new Error('paging does not end');
    }
    return { items, pages };
  }

  describe('cases', () => {
    it('creates with defaults and reads back', async () => {
      const { customer, conversation } = await seedConversation(store());
      const c = await store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id });
      expect(c.id).toMatch(UUID_RE);
      expect(c).toEqual({
        id: c.id,
        channel: 'wecom',
        customerId: customer.id,
        conversationId: conversation.id,
        category: null,
        orderId: null,
        description: null,
        evidence: [],
        resolution: null,
        status: 'collecting',
        priority: 2,
        risk: false,
        assignee: null,
        csat: null,
        reopenCount: 0,
        sla: null,
        steps: [],
        data: {},
        version: 1,
        createdAt: c.createdAt,
        updatedAt: c.createdAt,
      });
      expect(c.createdAt).toMatch(ISO_RE);
      expect(await store().getCase(c.id)).toEqual(c);
      expect(await store().getCase('no-such-case')).toBeNull();
      const full = await store().createCase({
        channel: 'wecom',
        customerId: customer.id,
        conversationId: conversation.id,
        category: 'quality',
        orderId: '6912345678901234567',
        description: '收到的杯子有裂痕',
        status: 'open',
        priority: 1,
        risk: true,
        data: { verdict: { ok: true }, n: [1, 2] },
      });
      expect(full).toMatchObject({
        category: 'quality',
        orderId: '6912345678901234567',
        description: '收到的杯子有裂痕',
        status: 'open',
        priority: 1,
        risk: true,
        data: { verdict: { ok: true }, n: [1, 2] },
      });
    });

    it('keeps every resolution the dialogue can set, 催件 included', async () => {
      const { customer, conversation } = await seedConversation(store());
      for (const resolution of RESOLUTIONS) {
        const c = await store().createCase({ channel: 'web', customerId: customer.id, conversationId: conversation.id });
        await store().updateCase(c.id, 1, { resolution });
        expect((await store().getCase(c.id))?.resolution).toBe(resolution);
      }
    });

    it('updates with the expected version and refuses a stale one', async () => {
      const { customer, conversation } = await seedConversation(store());
      const c = await store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id });
      const evidence = [{ id: 'e1', kind: 'image' as const, mime: 'image/jpeg', size: 12, sha256: 'ab'.repeat(32) }];
      const v2 = await store().updateCase(c.id, 1, {
        status: 'resolved',
        resolution: 'refund',
        evidence,
        assignee: 'user-1',
        csat: 5,
        reopenCount: 1,
        risk: true,
        priority: 3,
        data: { due: '2024-01-01T00:00:00.000Z' },
      });
      expect(v2).toEqual({
        ...c,
        status: 'resolved',
        resolution: 'refund',
        evidence,
        assignee: 'user-1',
        csat: 5,
        reopenCount: 1,
        risk: true,
        priority: 3,
        data: { due: '2024-01-01T00:00:00.000Z' },
        version: 2,
        updatedAt: v2?.updatedAt,
      });
      expect(await store().updateCase(c.id, 1, { status: 'closed' })).toBeNull();
      expect(await store().getCase(c.id)).toEqual(v2);
      const v3 = await store().updateCase(c.id, 2, { assignee: null, risk: false });
      expect(v3).toMatchObject({ version: 3, assignee: null, risk: false, status: 'resolved' });
      expect(await store().updateCase('no-such-case', 1, { status: 'open' })).toBeNull();
    });

    it('ignores fields outside the patch type, such as a spread-in version or id', async () => {
      const { customer, conversation } = await seedConversation(store());
      const c = await store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id });
      const sneaky = { ...c, status: 'open', version: 42, id: 'other-id', createdAt: 'x' } as CasePatch;
      const v2 = await store().updateCase(c.id, 1, sneaky);
      expect(v2).toMatchObject({ id: c.id, version: 2, status: 'open', createdAt: c.createdAt });
      expect(await store().getCase('other-id')).toBeNull();
    });

    it('two updates with the same expected version: exactly one wins', async () => {
      const { customer, conversation } = await seedConversation(store());
      const c = await store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id });
      const results = await concurrently(2, (i) => store().updateCase(c.id, 1, { description: `writer ${i}` }));
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      const current = await store().getCase(c.id);
      expect(current?.version).toBe(2);
      expect(current?.description).toBe(winners[0]?.description);
    });

    it('pages 120 cases newest first with an opaque cursor, and filters', async () => {
      const channels: Channel[] = ['wecom', 'douyin', 'web'];
      const seeds = await Promise.all(channels.map((ch) => seedConversation(store(), ch)));
      const created: Case[] = [];
      for (let i = 0; i < 120; i += 1) {
        const seed = seeds[i % 3];
        if (!seed) throw new Error('seed missing');
        created.push(
          await store().createCase({
            channel: channels[i % 3] ?? 'wecom',
            customerId: seed.customer.id,
            conversationId: seed.conversation.id,
            category: CATEGORIES[i % 6] ?? null,
            status: STATUSES[i % 4],
            orderId: `order-${i % 10}`,
          }),
        );
      }
      const expected = [...created].sort(newestFirst);

      const first = await store().listCases({});
      expect(first.items).toHaveLength(50);
      expect(first.nextCursor).not.toBeNull();

      const all = await pageAll({ limit: 25 });
      expect(all.pages).toBe(5);
      expect(all.items.map((c) => c.id)).toEqual(expected.map((c) => c.id));

      const big = await store().listCases({ limit: 1000 });
      expect(big.items).toHaveLength(120);
      expect(big.nextCursor).toBeNull();

      const openish = await pageAll({ status: ['open', 'escalated'], limit: 7 });
      const wantOpenish = expected.filter((c) => c.status === 'open' || c.status === 'escalated');
      expect(wantOpenish).toHaveLength(60);
      expect(openish.items.map((c) => c.id)).toEqual(wantOpenish.map((c) => c.id));

      const single = await pageAll({ status: 'assigned' });
      expect(single.items.map((c) => c.id)).toEqual(expected.filter((c) => c.status === 'assigned').map((c) => c.id));

      const douyin = await pageAll({ channel: 'douyin', limit: 15 });
      expect(douyin.items.map((c) => c.id)).toEqual(expected.filter((c) => c.channel === 'douyin').map((c) => c.id));
      expect(douyin.items).toHaveLength(40);

      const webCustomer = seeds[2]?.customer.id;
      const byCustomer = await pageAll({ customerId: webCustomer, limit: 9 });
      expect(byCustomer.items.map((c) => c.id)).toEqual(
        expected.filter((c) => c.customerId === webCustomer).map((c) => c.id),
      );

      const logistics = await pageAll({ category: 'logistics', limit: 6 });
      expect(logistics.items).toHaveLength(20);
      expect(logistics.items.every((c) => c.category === 'logistics')).toBe(true);
      expect(logistics.pages).toBe(4);

      const combined = await pageAll({ channel: 'wecom', status: ['collecting', 'escalated'], category: 'quality' });
      const wantCombined = expected.filter(
        (c) => c.channel === 'wecom' && (c.status === 'collecting' || c.status === 'escalated') && c.category === 'quality',
      );
      expect(combined.items.map((c) => c.id)).toEqual(wantCombined.map((c) => c.id));
      expect(wantCombined.length).toBeGreaterThan(0);

      const byConversation = await pageAll({ conversationId: seeds[1]?.conversation.id, orderId: 'order-1' });
      expect(byConversation.items.map((c) => c.id)).toEqual(
        expected.filter((c) => c.conversationId === seeds[1]?.conversation.id && c.orderId === 'order-1').map((c) => c.id),
      );
      expect(byConversation.items).toHaveLength(4);

      expect((await store().listCases({ status: [] })).items).toEqual([]);
    });

    it('filters by assignee and rejects a malformed cursor', async () => {
      const { customer, conversation } = await seedConversation(store());
      const make = () => store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id });
      const [a, b] = [await make(), await make()];
      if (!a || !b) throw new Error('cases missing');
      await store().updateCase(a.id, 1, { assignee: 'agent-7', status: 'assigned' });
      const page = await store().listCases({ assignee: 'agent-7' });
      expect(page.items.map((c) => c.id)).toEqual([a.id]);
      expect(page.nextCursor).toBeNull();
      await expect(store().listCases({ cursor: 'not a cursor' })).rejects.toMatchObject({ code: 'invalid_cursor' });
      await expect(
        store().listCases({ cursor: Buffer.from('{"a":1}').toString('base64url') }),
      ).rejects.toMatchObject({ code: 'invalid_cursor' });
    });
    it('filters by priority and by an id prefix (the case reference), and never treats the prefix as a pattern', async () => {
      const { customer, conversation } = await seedConversation(store());
      const urgent = await store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id, priority: 1 });
      const normal = await store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id, priority: 3 });
      expect((await store().listCases({ priority: 1 })).items.map((c) => c.id)).toEqual([urgent.id]);
      expect((await store().listCases({ priority: 2 })).items).toEqual([]);
      expect((await store().listCases({ idPrefix: normal.id.slice(0, 8) })).items.map((c) => c.id)).toEqual([normal.id]);
      expect((await store().listCases({ idPrefix: normal.id })).items.map((c) => c.id)).toEqual([normal.id]);
      // An upper-case prefix must not match, unless the first eight characters happen to have no letters.
      const upper = normal.id.slice(0, 8).toUpperCase();
      const bads = ['%', '_', '.*', ...(upper !== normal.id.slice(0, 8) ? [upper] : [])];
      for (const bad of bads) expect((await store().listCases({ idPrefix: bad })).items).toEqual([]);
    });
  });
}
