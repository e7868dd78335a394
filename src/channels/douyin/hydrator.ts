/**
 * Runs in the worker before the bot sees a Douyin image/video message: asks the resources API for a URL
 * (uploads arrive without one), downloads the bytes with a cap and stores them as evidence. Idempotent:
 * evidence is keyed by the message id (`source`), so a re-run reuses what a previous attempt stored.
 */
import { createHash } from 'node:crypto';
import { NetworkError, PlatformError } from '../../core/errors.js';
import { maskId } from '../../core/mask.js';
import type { Attachment, InboundMessage } from '../../core/types.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import type { Conversation, Evidence, InboxRow, Store } from '../../store/types.js';
import type { ChannelHydrator } from '../types.js';
import type { DouyinClient } from './client.js';
import { sniffMime } from './media.js';

export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
export const VIDEO_MAX_BYTES = 50 * 1024 * 1024;

export interface HydratorDeps {
  client: DouyinClient;
  store: Store;
  log: Logger;
  metrics: Metrics;
}

function withEvidence(message: InboundMessage, ev: Evidence): InboundMessage {
  let filled = false;
  const attachments: Attachment[] = message.attachments.map((a) => {
    if (filled || a.evidenceId) return a;
    filled = true;
    return { ...a, kind: ev.kind, evidenceId: ev.id, mime: ev.mime, size: ev.size, sha256: ev.sha256 };
  });
  return { ...message, attachments };
}

export function createDouyinHydrator(deps: HydratorDeps): ChannelHydrator {
  const { client, store, log, metrics } = deps;
  return {
    channel: 'douyin',
    async hydrate(row: InboxRow, conv: Conversation): Promise<InboundMessage> {
      const message = row.message;
      const pending = message.attachments.find((a) => !a.evidenceId);
      if (!pending || message.from === 'agent') return message;
      const source = message.platformMsgId;

      const existing = (await store.listEvidence({ conversationId: conv.id })).find((e) => e.source === source);
      if (existing) return withEvidence(message, existing);

      const metaConv = message.meta.conversationId ?? conv.meta.conversationId;
      const conversationId = typeof metaConv === 'string' ? metaConv : null;
      const logCtx = { msgId: maskId(source), conversation: conv.id };
      if (!conversationId) {
        log.warn(logCtx, 'douyin media: no conversation_id, cannot fetch the resource');
        return message;
      }
      try {
        const resource = await client.getResource({ conversationId, messageId: source });
        const maxBytes = pending.kind === 'video' ? VIDEO_MAX_BYTES : IMAGE_MAX_BYTES;
        const bytes = await client.download(resource.url, maxBytes);
        const mime = sniffMime(bytes);
        if (!mime || !(mime.startsWith('image/') || mime.startsWith('video/'))) {
          metrics.errors.inc({ code: 'douyin_media_unrecognised' });
          log.warn({ ...logCtx, size: bytes.length }, 'douyin media: bytes are neither image nor video; not stored');
          return message;
        }
        const ev = await store.addEvidence(
          {
            conversationId: conv.id,
            channel: 'douyin',
            kind: mime.startsWith('video/') ? 'video' : 'image',
            mime,
            size: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            source,
          },
          bytes,
        );
        return withEvidence(message, ev);
      } catch (err) {
        // Unreachable: let the job retry with backoff. Refused (token, too large, gone): go on without bytes,
        // the dialogue sees an image it cannot inspect and can ask for it again.
        if (err instanceof NetworkError) throw err;
        if (err instanceof PlatformError) {
          metrics.errors.inc({ code: `douyin_media_${String(err.platformCode)}` });
          log.warn({ ...logCtx, code: err.platformCode, hint: err.hint }, 'douyin media: fetch refused');
          return message;
        }
        throw err;
      }
    },
  };
}
