/**
 * The web channel's receiver: turns a simulator post (text, or a photo) into an InboundMessage.
 * The visitor id is the customer id; each visitor has one conversation.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, AppError } from '../../core/errors.js';
import type { Attachment, InboundMessage } from '../../core/types.js';
import type { BaseServices } from '../../services.js';
import { WEB_IMAGE_LIMIT, sha256, sniffImage } from './media.js';

export const VISITOR_ID = /^[A-Za-z0-9_-]{8,64}$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Browser clocks drift: a client send time is trusted only within this distance of ours. */
const CLOCK_TOLERANCE_MS = 10 * 60 * 1000;
const MAX_TEXT = 2000;

export interface WebPost {
  visitorId: string;
  text?: unknown;
  clientMsgId?: unknown;
  sentAt?: unknown;
  choiceId?: unknown;
  image?: { bytes: Buffer; name: string };
}

export async function webPostToMessage(s: BaseServices, post: WebPost): Promise<InboundMessage> {
  const now = s.clock.now();
  const clientMsgId = post.clientMsgId === undefined ? randomUUID() : post.clientMsgId;
  if (typeof clientMsgId !== 'string' || !CLIENT_ID.test(clientMsgId)) {
    throw badRequest('bad_client_msg_id', 'clientMsgId must be 1-64 letters, digits, - or _');
  }
  let sentAt = now;
  if (post.sentAt !== undefined) {
    if (typeof post.sentAt !== 'number' || !Number.isFinite(post.sentAt)) throw badRequest('bad_sent_at', 'sentAt must be epoch milliseconds');
    if (Math.abs(post.sentAt - now) <= CLOCK_TOLERANCE_MS) sentAt = Math.trunc(post.sentAt);
  }
  const base = {
    channel: 'web' as const,
    platformMsgId: `${post.visitorId}:${clientMsgId}`,
    conversationKey: post.visitorId,
    platformUserId: post.visitorId,
    sentAt,
    from: 'customer' as const,
    meta: {},
  };

  if (post.image) {
    const attachment = await storeImage(s, post.visitorId, post.image);
    return { ...base, kind: 'image', text: '[图片]', attachments: [attachment] };
  }
  if (typeof post.text !== 'string' || post.text.trim() === '') throw badRequest('empty_text', 'text must be a non-empty string');
  if (post.text.length > MAX_TEXT) throw badRequest('text_too_long', `text is longer than ${MAX_TEXT} characters`);
  if (post.choiceId !== undefined) {
    if (typeof post.choiceId !== 'string' || !CLIENT_ID.test(post.choiceId)) throw badRequest('bad_choice', 'choiceId is invalid');
    return { ...base, kind: 'choice', choiceId: post.choiceId, text: post.text.trim(), attachments: [] };
  }
  return { ...base, kind: 'text', text: post.text.trim(), attachments: [] };
}

async function storeImage(s: BaseServices, visitorId: string, image: { bytes: Buffer; name: string }): Promise<Attachment> {
  if (image.bytes.length === 0) throw badRequest('empty_image', 'the photo is empty');
  if (image.bytes.length > WEB_IMAGE_LIMIT) throw new AppError('image_too_large', 'the photo is larger than 10 MB', { status: 413 });
  const mime = sniffImage(image.bytes);
  if (!mime) throw new AppError('unsupported_image', 'only JPEG, PNG, GIF or WebP photos are accepted', { status: 415 });
  const customer = await s.store.upsertCustomer({ channel: 'web', platformUserId: visitorId });
  const conv = await s.store.getOrCreateConversation({ channel: 'web', key: visitorId, customerId: customer.id });
  const digest = sha256(image.bytes);
  const existing = (await s.store.listEvidence({ conversationId: conv.id })).find((e) => e.sha256 === digest);
  const evidence =
    existing ??
    (await s.store.addEvidence(
      { conversationId: conv.id, channel: 'web', kind: 'image', mime, size: image.bytes.length, sha256: digest, source: image.name.slice(0, 100) || null },
      image.bytes,
    ));
  return { kind: 'image', evidenceId: evidence.id, mime, size: evidence.size, sha256: evidence.sha256 };
}
