/** Inbox: one row per (channel, platformMsgId), drained in platform-time order. */
import { describe, expect, it } from 'vitest';
import type { GetStore } from './fixtures.js';
import { concurrently, inbound, ISO_RE, seedConversation, uniq, UUID_RE } from './fixtures.js';

export function inboxTests(store: GetStore): void {
  describe('inbox', () => {
    it('inserts a pending row that carries the whole message', async () => {
      const { conversation } = await seedConversation(store());
      const msg = inbound({
        orderId: '6912345678901234567',
        attachments: [{ kind: 'image', evidenceId: 'e1', mime: 'image/png', size: 10, sha256: 'ab' }],
        event: { type: 'enter_session', data: { scene: 'qr', welcome: true, n: 1, none: null } },
      });
      const { inserted, row } = await store().insertInbound(conversation.id, msg);
      expect(inserted).toBe(true);
      expect(row.id).toMatch(UUID_RE);
      expect(row).toMatchObject({
        channel: 'wecom',
        platformMsgId: msg.platformMsgId,
        conversationId: conversation.id,
        sentAt: msg.sentAt,
        from: 'customer',
        status: 'pending',
        processedAt: null,
      });
      expect(row.message).toEqual(msg);
      expect(row.receivedAt).toMatch(ISO_RE);
      expect(await store().findInbound('wecom', msg.platformMsgId)).toEqual(row);
      expect(await store().findInbound('douyin', msg.platformMsgId)).toBeNull();
    });

    it('a duplicate (channel, platformMsgId) returns inserted:false and the original row', async () => {
      const { conversation } = await seedConversation(store());
      const msg = inbound({ text: 'first' });
      const first = await store().insertInbound(conversation.id, msg);
      const dup = await store().insertInbound(conversation.id, { ...msg, text: 'second', sentAt: msg.sentAt + 5 });
      expect(dup.inserted).toBe(false);
      expect(dup.row).toEqual(first.row);
      expect(dup.row.message.text).toBe('first');
      expect(await store().listInbound(conversation.id, 10)).toHaveLength(1);
    });

    it('the same platformMsgId on another channel is another message', async () => {
      const a = await seedConversation(store(), 'wecom');
      const b = await seedConversation(store(), 'douyin');
      const platformMsgId = uniq('same');
      const ra = await store().insertInbound(a.conversation.id, inbound({ channel: 'wecom', platformMsgId }));
      const rb = await store().insertInbound(b.conversation.id, inbound({ channel: 'douyin', platformMsgId }));
      expect([ra.inserted, rb.inserted]).toEqual([true, true]);
      expect(ra.row.id).not.toBe(rb.row.id);
    });

    it('20 concurrent identical inserts: exactly one inserted, all see the same row', async () => {
      const { conversation } = await seedConversation(store());
      const msg = inbound();
      const all = await concurrently(20, () => store().insertInbound(conversation.id, msg));
      expect(all.filter((r) => r.inserted)).toHaveLength(1);
      expect(new Set(all.map((r) => r.row.id)).size).toBe(1);
    });

    it('lists pending rows by (sentAt, platformMsgId), equal sentAt included, other conversations excluded', async () => {
      const { conversation } = await seedConversation(store());
      const other = await seedConversation(store());
      const t = 1_700_000_100_000;
      const plan: [string, number][] = [
        ['m-c', t + 3000],
        ['m-b', t + 1000],
        ['m-e', t + 2000],
        ['m-a', t + 1000],
        ['m-d', t + 1000],
      ];
      const prefix = uniq('p');
      for (const [id, sentAt] of plan) {
        await store().insertInbound(conversation.id, inbound({ platformMsgId: `${prefix}-${id}`, sentAt }));
      }
      await store().insertInbound(other.conversation.id, inbound({ sentAt: t }));
      const pending = await store().listPendingInbound(conversation.id, 10);
      expect(pending.map((r) => r.platformMsgId)).toEqual(['m-a', 'm-b', 'm-d', 'm-e', 'm-c'].map((id) => `${prefix}-${id}`));
      const firstTwo = await store().listPendingInbound(conversation.id, 2);
      expect(firstTwo.map((r) => r.platformMsgId)).toEqual([`${prefix}-m-a`, `${prefix}-m-b`]);
    });

    it('status transitions: processed rows leave the pending list, keep their place in the transcript', async () => {
      const { conversation } = await seedConversation(store());
      const rows = [];
      for (let i = 0; i < 4; i += 1) {
        rows.push((await store().insertInbound(conversation.id, inbound({ sentAt: 1_000 + i }))).row);
      }
      const [r0, r1, r2, r3] = rows;
      if (!r0 || !r1 || !r2 || !r3) throw new Error('rows missing');
      await store().setInboundStatus(r0.id, 'processed');
      await store().setInboundStatus(r1.id, 'stale');
      await store().setInboundStatus(r2.id, 'failed', 'bot_error:TypeError');
      expect(await store().findInbound('wecom', r2.platformMsgId)).toMatchObject({ status: 'failed', error: 'bot_error:TypeError' });
      const processed = await store().findInbound('wecom', r0.platformMsgId);
      expect(processed?.status).toBe('processed');
      expect(processed?.processedAt).toMatch(ISO_RE);
      expect((await store().listPendingInbound(conversation.id, 10)).map((r) => r.id)).toEqual([r3.id]);
      const transcript = await store().listInbound(conversation.id, 10);
      expect(transcript.map((r) => [r.id, r.status])).toEqual([
        [r0.id, 'processed'],
        [r1.id, 'stale'],
        [r2.id, 'failed'],
        [r3.id, 'pending'],
      ]);
      await store().setInboundStatus(r3.id, 'recalled');
      expect(await store().listPendingInbound(conversation.id, 10)).toEqual([]);
      await store().setInboundStatus(r2.id, 'pending');
      const back = await store().findInbound('wecom', r2.platformMsgId);
      expect(back).toMatchObject({ status: 'pending', processedAt: null, error: null });
      expect((await store().listInbound(conversation.id, 2)).map((r) => r.id)).toEqual([r0.id, r1.id]);
    });

    it('lists conversations with pending rows, earliest pending first', async () => {
      const a = await seedConversation(store());
      const b = await seedConversation(store());
      const c = await seedConversation(store());
      await store().insertInbound(a.conversation.id, inbound({ sentAt: 5_000 }));
      const done = await store().insertInbound(b.conversation.id, inbound({ sentAt: 1_000 }));
      await store().setInboundStatus(done.row.id, 'processed');
      await store().insertInbound(c.conversation.id, inbound({ sentAt: 2_000 }));
      await store().insertInbound(c.conversation.id, inbound({ sentAt: 9_000 }));
      expect(await store().listConversationsWithPending(10)).toEqual([c.conversation.id, a.conversation.id]);
      expect(await store().listConversationsWithPending(1)).toEqual([c.conversation.id]);
    });
    it('lists conversations carrying a hand-back replay marker until the marker goes', async () => {
      const a = await seedConversation(store());
      const b = await seedConversation(store());
      const marked = await store().updateConversation(a.conversation.id, a.conversation.version, { mode: 'bot', meta: { replay: { key: 'k1', rows: [], notice: 'n' } } });
      await store().updateConversation(b.conversation.id, b.conversation.version, { meta: { unanswered: [] } });
      const listed = await store().listConversationsWithReplay(1000);
      expect(listed).toContain(a.conversation.id);
      expect(listed).not.toContain(b.conversation.id);
      await store().updateConversation(a.conversation.id, marked?.version ?? 0, { meta: {} });
      expect(await store().listConversationsWithReplay(1000)).not.toContain(a.conversation.id);
    });
    it('finds the conversations where the customer wrote a number, however it was spaced, newest first', async () => {
      const a = await seedConversation(store());
      const b = await seedConversation(store());
      const c = await seedConversation(store());
      await store().insertInbound(a.conversation.id, inbound({ text: '电话 138 1234-5678，尽快联系', sentAt: 1_000 }));
      await store().insertInbound(b.conversation.id, inbound({ text: '+86\u30001381234\u30005678', sentAt: 2_000 }));
      // The bot saying the number, or another number, is not a match.
      await store().insertInbound(c.conversation.id, inbound({ text: '13812345678', from: 'bot', sentAt: 3_000 }));
      await store().insertInbound(c.conversation.id, inbound({ text: '13912345678', sentAt: 3_000 }));
      expect(await store().findConversationsByDigits('13812345678')).toEqual([b.conversation.id, a.conversation.id]);
      expect(await store().findConversationsByDigits('13812345678', 1)).toEqual([b.conversation.id]);
      expect(await store().findConversationsByDigits('13700000000')).toEqual([]);
      await expect(store().findConversationsByDigits('138%')).rejects.toMatchObject({ code: 'invalid_digits' });
      await expect(store().findConversationsByDigits('.*')).rejects.toMatchObject({ code: 'invalid_digits' });
    });
  });
}
