/** Evidence: bytes stored beside metadata, read back unchanged, linked to cases. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GetStore } from './fixtures.js';
import { ISO_RE, newEvidence, seedConversation, sha256, UUID_RE } from './fixtures.js';

export function evidenceTests(store: GetStore): void {
  describe('evidence', () => {
    it('round-trips bytes with the sha256 unchanged', async () => {
      const { conversation } = await seedConversation(store());
      const bytes = randomBytes(300 * 1024 + 7);
      const e = await store().addEvidence(newEvidence(conversation.id, bytes), bytes);
      expect(e.id).toMatch(UUID_RE);
      expect(e).toEqual({
        id: e.id,
        conversationId: conversation.id,
        caseId: null,
        channel: 'wecom',
        kind: 'image',
        mime: 'image/jpeg',
        size: bytes.length,
        sha256: sha256(bytes),
        source: 'media_id:abc',
        createdAt: e.createdAt,
      });
      expect(e.createdAt).toMatch(ISO_RE);
      const read = await store().readEvidence(e.id);
      expect(read).not.toBeNull();
      expect(read?.length).toBe(bytes.length);
      expect(sha256(read ?? Buffer.alloc(0))).toBe(e.sha256);
      expect(read?.equals(bytes)).toBe(true);
      expect(await store().getEvidence(e.id)).toEqual(e);
    });

    it('stores an empty file and a tiny one', async () => {
      const { conversation } = await seedConversation(store());
      const empty = Buffer.alloc(0);
      const e0 = await store().addEvidence(newEvidence(conversation.id, empty, { kind: 'file', mime: 'text/plain' }), empty);
      expect((await store().readEvidence(e0.id))?.length).toBe(0);
      const tiny = Buffer.from('凭证', 'utf8');
      const e1 = await store().addEvidence(newEvidence(conversation.id, tiny, { source: null }), tiny);
      expect((await store().readEvidence(e1.id))?.toString('utf8')).toBe('凭证');
      expect(e1.source).toBeNull();
    });

    it('refuses metadata that does not describe the bytes', async () => {
      const { conversation } = await seedConversation(store());
      const bytes = Buffer.from('real bytes');
      const wrongHash = newEvidence(conversation.id, bytes, { sha256: sha256(Buffer.from('other')) });
      await expect(store().addEvidence(wrongHash, bytes)).rejects.toMatchObject({ code: 'evidence_mismatch' });
      const wrongSize = newEvidence(conversation.id, bytes, { size: 3 });
      await expect(store().addEvidence(wrongSize, bytes)).rejects.toMatchObject({ code: 'evidence_mismatch' });
      expect(await store().listEvidence({ conversationId: conversation.id })).toEqual([]);
    });

    it('unknown ids give null', async () => {
      expect(await store().getEvidence('no-such-evidence')).toBeNull();
      expect(await store().readEvidence('no-such-evidence')).toBeNull();
    });

    it('lists by conversation and case, and links evidence to a case', async () => {
      const { customer, conversation } = await seedConversation(store());
      const other = await seedConversation(store());
      const c = await store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id });
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const bytes = Buffer.from(`photo ${i}`);
        ids.push((await store().addEvidence(newEvidence(conversation.id, bytes), bytes)).id);
      }
      const otherBytes = Buffer.from('other');
      const preLinked = await store().addEvidence(
        newEvidence(other.conversation.id, otherBytes, { caseId: c.id }),
        otherBytes,
      );
      expect(preLinked.caseId).toBe(c.id);
      const byConversation = await store().listEvidence({ conversationId: conversation.id });
      expect(byConversation.map((e) => e.id)).toEqual(ids);
      expect(byConversation.every((e) => e.caseId === null)).toBe(true);
      expect((await store().listEvidence({ caseId: c.id })).map((e) => e.id)).toEqual([preLinked.id]);

      await store().linkEvidence([ids[0] ?? '', ids[2] ?? ''], c.id);
      await store().linkEvidence([], c.id);
      const linked = await store().listEvidence({ caseId: c.id });
      expect(linked.map((e) => e.id).sort()).toEqual([ids[0], ids[2], preLinked.id].sort());
      expect((await store().getEvidence(ids[1] ?? ''))?.caseId).toBeNull();
      const both = await store().listEvidence({ conversationId: conversation.id, caseId: c.id });
      expect(both.map((e) => e.id)).toEqual([ids[0], ids[2]]);
    });
  });
}
