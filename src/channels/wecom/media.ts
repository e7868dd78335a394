/**
 * Evidence from kf media: fetched through media/get as soon as the message is pulled (media_id expires after
 * 3 days), refused above the per-kind cap, typed from its bytes, hashed and stored against the conversation
 * and its open case.
 */
import { createHash } from 'node:crypto';
import type { Attachment, EvidenceKind } from '../../core/types.js';
import { maskId } from '../../core/mask.js';
import { ACTIVE } from '../../core/lifecycle.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/types.js';
import type { WecomClient } from './client.js';
import { MEDIA_CAPS, sniffMime } from './sniff.js';


export interface EvidenceInput {
  conversationId: string;
  kind: EvidenceKind;
  mediaId: string;
  msgid: string;
}

export async function fetchEvidence(
  deps: { client: WecomClient; store: Store; log: Logger },
  input: EvidenceInput,
): Promise<Attachment> {
  const { client, store, log } = deps;
  const cap = MEDIA_CAPS[input.kind];
  const got = await client.getMedia(input.mediaId, cap);
  if (got.tooLarge) {
    log.warn({ msgid: maskId(input.msgid), kind: input.kind, cap }, 'WeCom media over the size cap: not stored');
    return { kind: input.kind };
  }
  const bytes = got.bytes;
  const mime = sniffMime(bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const open = await store.listCases({ conversationId: input.conversationId, status: [...ACTIVE], limit: 1 });
  const evidence = await store.addEvidence(
    {
      conversationId: input.conversationId,
      caseId: open.items[0]?.id ?? null,
      channel: 'wecom',
      kind: input.kind,
      mime,
      size: bytes.length,
      sha256,
      source: input.mediaId,
    },
    bytes,
  );
  return { kind: input.kind, evidenceId: evidence.id, mime, size: bytes.length, sha256 };
}
