/** Outbox: one row per idempotency key, updated as the send goes. */
import { describe, expect, it } from 'vitest';
import type { NewOutbox } from '../../../src/store/types.js';
import type { GetStore } from './fixtures.js';
import { concurrently, ISO_RE, seedConversation, uniq, UUID_RE } from './fixtures.js';

const reply = { text: '请问您的订单号是多少？', choices: [{ id: 'q1', label: '质量问题' }], tail: '也可以直接描述' };

export function outboxTests(store: GetStore): void {
  describe('outbox', () => {
    const newOutbox = (conversationId: string, over: Partial<NewOutbox> = {}): NewOutbox => ({
      key: uniq('out'),
      conversationId,
      channel: 'wecom',
      author: 'bot',
      reply,
      ...over,
    });

    it('inserts with defaults and finds by key', async () => {
      const { conversation } = await seedConversation(store());
      const input = newOutbox(conversation.id);
      const { inserted, row } = await store().insertOutbound(input);
      expect(inserted).toBe(true);
      expect(row.id).toMatch(UUID_RE);
      expect(row).toEqual({
        id: row.id,
        key: input.key,
        conversationId: conversation.id,
        channel: 'wecom',
        author: 'bot',
        authorId: null,
        caseId: null,
        reply,
        status: 'pending',
        attempts: 0,
        error: null,
        platformMsgId: null,
        createdAt: row.createdAt,
        sentAt: null,
      });
      expect(row.createdAt).toMatch(ISO_RE);
      expect(await store().getOutbound(input.key)).toEqual(row);
      expect(await store().getOutbound('no-such-key')).toBeNull();
    });

    it('a duplicate key returns inserted:false and the original row', async () => {
      const { conversation } = await seedConversation(store());
      const input = newOutbox(conversation.id, { status: 'held', author: 'agent', authorId: 'u1' });
      const first = await store().insertOutbound(input);
      expect(first.row).toMatchObject({ status: 'held', author: 'agent', authorId: 'u1' });
      const dup = await store().insertOutbound({ ...input, reply: { text: 'other' }, status: 'pending' });
      expect(dup.inserted).toBe(false);
      expect(dup.row).toEqual(first.row);
    });

    it('20 concurrent inserts of one key: exactly one inserted', async () => {
      const { conversation } = await seedConversation(store());
      const input = newOutbox(conversation.id);
      const all = await concurrently(20, () => store().insertOutbound(input));
      expect(all.filter((r) => r.inserted)).toHaveLength(1);
      expect(new Set(all.map((r) => r.row.id)).size).toBe(1);
    });

    it('updates only the named fields; unknown key gives null', async () => {
      const { conversation } = await seedConversation(store());
      const { row } = await store().insertOutbound(newOutbox(conversation.id));
      const failed = await store().updateOutbound(row.key, { status: 'failed', attempts: 1, error: 'errcode 95018' });
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: 'errcode 95018', sentAt: null });
      const sentAt = new Date().toISOString();
      const sent = await store().updateOutbound(row.key, { status: 'sent', attempts: 2, platformMsgId: 'pm-1', sentAt });
      expect(sent).toEqual({ ...row, status: 'sent', attempts: 2, error: 'errcode 95018', platformMsgId: 'pm-1', sentAt });
      const cleared = await store().updateOutbound(row.key, { status: 'sent', error: null });
      expect(cleared).toMatchObject({ error: null, attempts: 2, platformMsgId: 'pm-1' });
      expect(await store().getOutbound(row.key)).toEqual(cleared);
      expect(await store().updateOutbound('no-such-key', { status: 'sent' })).toBeNull();
    });

    it('lists by conversation and status, oldest first, with a limit', async () => {
      const a = await seedConversation(store());
      const b = await seedConversation(store());
      const keys: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const { row } = await store().insertOutbound(newOutbox(a.conversation.id, { status: i % 2 === 0 ? 'pending' : 'held' }));
        keys.push(row.key);
      }
      await store().insertOutbound(newOutbox(b.conversation.id, { status: 'held' }));
      const all = await store().listOutbound({ conversationId: a.conversation.id });
      expect(all.map((r) => r.key)).toEqual(keys);
      const held = await store().listOutbound({ conversationId: a.conversation.id, status: 'held' });
      expect(held.map((r) => r.key)).toEqual([keys[1], keys[3]]);
      expect((await store().listOutbound({ status: 'held' })).length).toBe(3);
      expect((await store().listOutbound({ conversationId: a.conversation.id, limit: 2 })).map((r) => r.key)).toEqual(
        keys.slice(0, 2),
      );
    });
  });
}
