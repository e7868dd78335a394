/**
 * Runs in the worker before the bot sees a Douyin image/video message: asks the resources API for a URL
 * (uploads arrive without one), downloads the bytes with a cap and stores them as evidence. Idempotent:
 * evidence is keyed by the message id (`source`), so a re-run reuses what a previous attempt stored.
 * The resources API serves only uploads from the phone (`user_local_image` / `user_local_video`, scope
 * im.multimedia_message; developer.open-douyin.com …/private-message/private-msg-webhook and the
 * fudiwei/DotNetCore.SKIT.FlurlHttpClient.ByteDance IM resource request): other pictures are not asked for
 * at all. Whenever a picture cannot be kept, the shopper is told how to send one that can (one notice per
 * message, said by the drain before the bot's answer; templates/zh-CN/douyin.json).
 */
import { createHash } from 'node:crypto';
import { NetworkError, PlatformError } from '../../core/errors.js';
import { maskId } from '../../core/mask.js';
import type { Attachment, InboundMessage } from '../../core/types.js';
import type { BaseServices } from '../../services.js';
import type { Conversation, Evidence, InboxRow } from '../../store/types.js';
import { renderTemplate } from '../../../templates/render.js';
import type { ChannelHydrator, Hydrated } from '../types.js';
import type { DouyinClient, DouyinResource } from './client.js';
import { UPLOAD_TYPES } from './events.js';
import { sniffMime } from './media.js';

export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
export const VIDEO_MAX_BYTES = 50 * 1024 * 1024;

export type HydratorDeps = Pick<BaseServices, 'store' | 'log' | 'metrics' | 'data'> & { client: DouyinClient };

type NoticeKey = 'douyin.photo.not_upload' | 'douyin.photo.not_kept';

/**
 * The message goes on without its picture, and the shopper is told how to send one we can keep. The drain says
 * the notice as a system line answering this message (its msg_id), once: it is part of the turn's record.
 */
function askForUpload(deps: HydratorDeps, message: InboundMessage, key: NoticeKey): Hydrated {
  return { message, notices: [renderTemplate(deps.data.templates, key)] };
}

/**
 * A picture that cannot be kept: counted and logged under its reason (no URL, no text), the shopper asked once
 * to send it again, and the message goes on to the bot without it.
 */
function missing(deps: HydratorDeps, row: InboxRow, logCtx: Record<string, unknown>, reason: string, hint: string | undefined): Hydrated {
  deps.metrics.errors.inc({ code: `douyin_media_${reason}` });
  deps.log.warn({ ...logCtx, reason, hint }, 'douyin media: picture not kept, recorded as missing; shopper asked to send it again');
  return askForUpload(deps, row.message, 'douyin.photo.not_kept');
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
    async hydrate(row: InboxRow, conv: Conversation): Promise<Hydrated> {
      const message = row.message;
      const pending = message.attachments.find((a) => !a.evidenceId);
      const asIs: Hydrated = { message, notices: [] };
      if (!pending || message.from === 'agent') return asIs;
      const source = message.platformMsgId;

      const existing = (await store.listEvidence({ conversationId: conv.id })).find((e) => e.source === source);
      if (existing) return { message: withEvidence(message, existing), notices: [] };

      const metaConv = message.meta.conversationId ?? conv.meta.conversationId;
      const conversationId = typeof metaConv === 'string' ? metaConv : null;
      const logCtx = { msgId: maskId(source), conversation: conv.id };
      // Rows stored before messageType was recorded are treated as uploads (the earlier behaviour).
      const type = message.meta.messageType;
      if (typeof type === 'string' && !UPLOAD_TYPES.has(type)) {
        metrics.errors.inc({ code: 'douyin_media_not_upload' });
        log.info({ ...logCtx, type }, 'douyin media: not an upload, the resources API does not serve it; shopper asked to upload');
        return askForUpload(deps, message, 'douyin.photo.not_upload');
      }
      if (!conversationId) {
        log.warn(logCtx, 'douyin media: no conversation_id, cannot fetch the resource');
        return asIs;
      }
      // The resources API is the platform: busy or unreachable → the job retries (a short, bounded call).
      let resource: DouyinResource;
      try {
        resource = await client.getResource({ conversationId, messageId: source });
      } catch (err) {
        if (err instanceof NetworkError || (err instanceof PlatformError && err.retryable)) throw err;
        if (err instanceof PlatformError) return missing(deps, row, logCtx, String(err.platformCode), err.hint);
        throw err;
      }
      // The bytes come from a CDN URL: one short attempt (stall timeout in the client), never a retry loop that
      // holds the conversation. A picture we cannot get is missing evidence; the next message is answered at once.
      let bytes: Buffer;
      try {
        bytes = await client.download(resource.url, pending.kind === 'video' ? VIDEO_MAX_BYTES : IMAGE_MAX_BYTES);
      } catch (err) {
        if (err instanceof PlatformError) return missing(deps, row, logCtx, String(err.platformCode), err.hint);
        if (err instanceof NetworkError) return missing(deps, row, logCtx, 'unreachable', undefined);
        throw err;
      }
      const mime = sniffMime(bytes);
      if (!mime || !(mime.startsWith('image/') || mime.startsWith('video/'))) {
        return missing(deps, row, { ...logCtx, size: bytes.length }, 'unrecognised', 'bytes are neither image nor video');
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
      return { message: withEvidence(message, ev), notices: [] };
    },
  };
}
