/** Customers and conversations: upsert identity, race-safe creation, versioned dialogue state. */
import { describe, expect, it } from 'vitest';
import type { GetStore } from './fixtures.js';
import { concurrently, ISO_RE, seedConversation, uniq, UUID_RE } from './fixtures.js';

export function customerTests(store: GetStore): void {
  describe('customers', () => {
    it('creates a customer with defaults and finds it by id', async () => {
      const platformUserId = uniq('wm');
      const c = await store().upsertCustomer({ channel: 'wecom', platformUserId });
      expect(c.id).toMatch(UUID_RE);
      expect(c).toMatchObject({ channel: 'wecom', platformUserId, nickname: null, memberLevel: null });
      expect(c.createdAt).toMatch(ISO_RE);
      expect(c.updatedAt).toBe(c.createdAt);
      expect(await store().getCustomer(c.id)).toEqual(c);
      expect(await store().getCustomer('no-such-customer')).toBeNull();
    });

    it('upserts by (channel, platformUserId): same id, nickname updated only when given', async () => {
      const platformUserId = uniq('wm');
      const first = await store().upsertCustomer({ channel: 'wecom', platformUserId, nickname: '小王' });
      expect(first.nickname).toBe('小王');
      const renamed = await store().upsertCustomer({ channel: 'wecom', platformUserId, nickname: '王先生' });
      expect(renamed.id).toBe(first.id);
      expect(renamed.nickname).toBe('王先生');
      const kept = await store().upsertCustomer({ channel: 'wecom', platformUserId });
      expect(kept.id).toBe(first.id);
      expect(kept.nickname).toBe('王先生');
      const otherChannel = await store().upsertCustomer({ channel: 'douyin', platformUserId });
      expect(otherChannel.id).not.toBe(first.id);
      expect(otherChannel.channel).toBe('douyin');
    });

    it('20 concurrent upserts of one customer give one id', async () => {
      const platformUserId = uniq('wm');
      const all = await concurrently(20, () => store().upsertCustomer({ channel: 'web', platformUserId }));
      expect(new Set(all.map((c) => c.id)).size).toBe(1);
    });

    it('updates nickname and member level; unknown id gives null', async () => {
      const c = await store().upsertCustomer({ channel: 'wecom', platformUserId: uniq('wm') });
      const u = await store().updateCustomer(c.id, { memberLevel: 'gold' });
      expect(u).toMatchObject({ id: c.id, nickname: null, memberLevel: 'gold' });
      const u2 = await store().updateCustomer(c.id, { nickname: '李女士' });
      expect(u2).toMatchObject({ nickname: '李女士', memberLevel: 'gold' });
      expect(u2?.updatedAt).toMatch(ISO_RE);
      expect(await store().getCustomer(c.id)).toEqual(u2);
      expect(await store().updateCustomer('no-such-customer', { memberLevel: 'x' })).toBeNull();
    });
  });
}

export function conversationTests(store: GetStore): void {
  describe('conversations', () => {
    it('creates in bot mode at version 1, then returns the same row for the same (channel, key)', async () => {
      const customer = await store().upsertCustomer({ channel: 'wecom', platformUserId: uniq('wm') });
      const key = uniq('wk:wm');
      const meta = { open_kfid: 'wkAAA', nested: { a: [1, 2] } };
      const c = await store().getOrCreateConversation({ channel: 'wecom', key, customerId: customer.id, meta });
      expect(c.id).toMatch(UUID_RE);
      expect(c).toMatchObject({
        channel: 'wecom',
        key,
        customerId: customer.id,
        mode: 'bot',
        state: {},
        meta,
        lastCustomerAt: null,
        repliesSinceCustomer: 0,
        version: 1,
      });
      const again = await store().getOrCreateConversation({ channel: 'wecom', key, customerId: customer.id, meta: { x: 1 } });
      expect(again).toEqual(c);
      expect(await store().findConversation('wecom', key)).toEqual(c);
      expect(await store().getConversation(c.id)).toEqual(c);
      expect(await store().findConversation('douyin', key)).toBeNull();
      expect(await store().getConversation('no-such-conversation')).toBeNull();
    });

    it('20 concurrent getOrCreateConversation calls give one id', async () => {
      const customer = await store().upsertCustomer({ channel: 'douyin', platformUserId: uniq('open') });
      const key = uniq('dy');
      const all = await concurrently(20, () =>
        store().getOrCreateConversation({ channel: 'douyin', key, customerId: customer.id }),
      );
      const ids = new Set(all.map((c) => c.id));
      expect(ids.size).toBe(1);
      expect((await store().findConversation('douyin', key))?.id).toBe(all[0]?.id);
    });

    it('updates with the expected version, bumps it, and refuses a stale version', async () => {
      const { conversation: c } = await seedConversation(store());
      const state = { step: 'ask_order', slots: { orderId: '6912345678901234567', misses: 0 }, list: ['a', 'b'] };
      const v2 = await store().updateConversation(c.id, 1, { state, lastCustomerAt: 1_700_000_000_123 });
      expect(v2).toMatchObject({ id: c.id, version: 2, state, lastCustomerAt: 1_700_000_000_123, mode: 'bot' });
      expect(v2?.meta).toEqual(c.meta);
      expect(await store().updateConversation(c.id, 1, { mode: 'human' })).toBeNull();
      expect(await store().getConversation(c.id)).toEqual(v2);
      const v3 = await store().updateConversation(c.id, 2, { mode: 'human', repliesSinceCustomer: 3, meta: { m: 1 } });
      expect(v3).toMatchObject({ version: 3, mode: 'human', repliesSinceCustomer: 3, meta: { m: 1 }, state });
      expect(await store().updateConversation('no-such-conversation', 1, { mode: 'bot' })).toBeNull();
    });

    it('two updates with the same expected version: exactly one wins', async () => {
      const { conversation: c } = await seedConversation(store());
      const [a, b] = await Promise.all([
        store().updateConversation(c.id, 1, { state: { by: 'a' } }),
        store().updateConversation(c.id, 1, { state: { by: 'b' } }),
      ]);
      const winners = [a, b].filter((x) => x !== null);
      expect(winners).toHaveLength(1);
      const current = await store().getConversation(c.id);
      expect(current?.version).toBe(2);
      expect(current?.state).toEqual(winners[0]?.state);
    });

    it('20 concurrent updates at version 1: one wins, 19 get null', async () => {
      const { conversation: c } = await seedConversation(store());
      const all = await concurrently(20, (i) => store().updateConversation(c.id, 1, { repliesSinceCustomer: i + 1 }));
      expect(all.filter((x) => x !== null)).toHaveLength(1);
      expect((await store().getConversation(c.id))?.version).toBe(2);
    });
  });
}
