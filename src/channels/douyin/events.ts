/**
 * Douyin webhook bodies → InboundMessage (Douyin open platform 企业号私信 docs, developer.open-douyin.com). Platform shapes stay in this folder.
 * Parsing is defensive: `content` arrives as an object (im_receive_msg) or as a JSON string (enter/recall
 * examples), ids may be strings or numbers, and anything unrecognised is still recorded, never dropped.
 */
import { createHash } from 'node:crypto';
import { badRequest } from '../../core/errors.js';
import type { Attachment, InboundMessage, MessageKind } from '../../core/types.js';

export interface DouyinEnvelope {
  event: string;
  clientKey: string;
  fromUserId: string;
  toUserId: string;
  logId: string;
  /** Top-level `msg_id` (im_recall_msg carries one). */
  msgId: string;
  content: Record<string, unknown>;
}

export type MappedEvent =
  /** URL verification: answer `{"challenge":…}` with the value as received. */
  | { type: 'verify'; challenge: string | number }
  /** An `im_send_msg` we sent through the API ourselves (source = our client key): nothing to do. */
  | { type: 'echo'; platformMsgId: string }
  | { type: 'message'; message: InboundMessage };

export interface MapContext {
  /** `Msg-Id` header, the platform's delivery id. */
  msgIdHeader: string | null;
  clientKey: string;
  businessOpenId: string;
  /** Used when the platform omits create_time. */
  now: number;
  /** sha1 of the raw body: last-resort unique id for events that carry no id at all. */
  bodyDigest: string;
}

/** The message types the resources API serves (uploads from the phone); others carry no fetchable media. */
export const UPLOAD_TYPES: ReadonlySet<string> = new Set(['user_local_image', 'user_local_video']);

export const REPLY_SCENE = 'im_replay_msg';
export const ENTER_SCENE = 'im_enter_direct_msg';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string field, accepting numbers too (ids are strings in the docs, numbers in some payloads). */
export function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function num(o: Record<string, unknown>, key: string): number | undefined {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** create_time is documented as 13-digit ms; 10-digit seconds are accepted defensively. */
export function toEpochMs(value: number | undefined, fallback: number): number {
  if (value === undefined || value <= 0) return fallback;
  return value < 1e12 ? value * 1000 : value;
}

export function bodyDigest(raw: Buffer): string {
  return createHash('sha1').update(raw).digest('hex');
}

/** Parses the raw body; throws 400 for anything that is not a JSON object with an `event`. */
export function parseEnvelope(raw: Buffer): DouyinEnvelope {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('bad_json', 'body is not valid JSON');
  }
  if (!isRecord(body)) throw badRequest('bad_json', 'body is not a JSON object');
  const event = str(body, 'event');
  if (!event) throw badRequest('bad_payload', 'missing event');
  return {
    event,
    clientKey: str(body, 'client_key') ?? '',
    fromUserId: str(body, 'from_user_id') ?? '',
    toUserId: str(body, 'to_user_id') ?? '',
    logId: str(body, 'log_id') ?? '',
    msgId: str(body, 'msg_id') ?? '',
    content: parseContent(body.content),
  };
}

/** UNCONFIRMED which events send `content` as a JSON string: both shapes are accepted for every event. */
export function parseContent(content: unknown): Record<string, unknown> {
  if (content === undefined || content === null || content === '') return {};
  if (isRecord(content)) return content;
  if (typeof content === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw badRequest('bad_json', 'content is not valid JSON');
    }
    if (isRecord(parsed)) return parsed;
  }
  throw badRequest('bad_payload', 'content is neither an object nor a JSON object string');
}

interface Body {
  kind: MessageKind;
  text: string;
  attachments: Attachment[];
}

/** Message body by `message_type`; unknown types become kind 'unknown' with a neutral text. */
export function mapBody(content: Record<string, unknown>): Body {
  const type = str(content, 'message_type') ?? '';
  switch (type) {
    case 'text':
      return { kind: 'text', text: str(content, 'text') ?? '', attachments: [] };
    case 'image':
    case 'user_local_image':
      // Bytes are fetched by the hydrator in the worker (resources API), never inside the 5 s webhook.
      return { kind: 'image', text: '[图片]', attachments: [{ kind: 'image' }] };
    case 'user_local_video':
      return { kind: 'video', text: '[视频]', attachments: [{ kind: 'video' }] };
    case 'video':
      // A shared Douyin video (item_id), not an upload: nothing to store as evidence.
      return { kind: 'video', text: '[视频分享]', attachments: [] };
    case 'emoji':
      return { kind: 'emoji', text: '[表情]', attachments: [] };
    case 'retain_consult_card':
      return { kind: 'card', text: '[卡片]', attachments: [] };
    default:
      return { kind: 'unknown', text: '[暂不支持的消息类型]', attachments: [] };
  }
}

/** The customer's open_id: whichever side of the envelope is not our business account. */
function customerOf(env: DouyinEnvelope, businessOpenId: string): string {
  if (env.event === 'im_send_msg') return env.toUserId || env.fromUserId;
  if (env.fromUserId && env.fromUserId !== businessOpenId) return env.fromUserId;
  return env.toUserId || env.fromUserId || 'unknown';
}

/** Routing meta for answering this message: msg_id (24 h), conversation_id and the scene to answer with. */
function replyMeta(content: Record<string, unknown>, msgId: string, msgAt: number, scene: string): InboundMessage['meta'] {
  const meta: InboundMessage['meta'] = { msgId, msgAt, scene };
  // UNCONFIRMED that im_enter_direct_msg carries conversation_short_id: keep the last known one when absent.
  const conversationId = str(content, 'conversation_short_id');
  if (conversationId) meta.conversationId = conversationId;
  return meta;
}

/** Maps one verified envelope. Never throws for unknown events: they are recorded as kind 'event'/'unknown'. */
export function mapEvent(env: DouyinEnvelope, ctx: MapContext): MappedEvent {
  if (env.event === 'verify_webhook') {
    const challenge = env.content.challenge;
    if (typeof challenge !== 'string' && typeof challenge !== 'number') {
      throw badRequest('bad_payload', 'verify_webhook without a challenge');
    }
    return { type: 'verify', challenge };
  }

  const c = env.content;
  const serverMsgId = str(c, 'server_message_id');
  const platformMsgId = serverMsgId ?? ctx.msgIdHeader ?? (env.logId || `body:${ctx.bodyDigest}`);
  const sentAt = toEpochMs(num(c, 'create_time'), ctx.now);
  const platformUserId = customerOf(env, ctx.businessOpenId);
  const base = { channel: 'douyin' as const, conversationKey: platformUserId, platformUserId, sentAt };

  switch (env.event) {
    case 'im_receive_msg': {
      const body = mapBody(c);
      const meta = replyMeta(c, platformMsgId, sentAt, REPLY_SCENE);
      // The hydrator fetches only uploads: it needs to know which kind of picture this was.
      if (body.attachments.length > 0) meta.messageType = str(c, 'message_type') ?? '';
      return { type: 'message', message: { ...base, platformMsgId, from: 'customer', ...body, meta } };
    }
    case 'im_send_msg': {
      if (str(c, 'source') === ctx.clientKey) return { type: 'echo', platformMsgId };
      // Typed by a person in the Douyin app (empty source) or by another tool: the bot must keep quiet.
      const body = mapBody(c);
      return { type: 'message', message: { ...base, platformMsgId, from: 'agent', ...body, meta: {} } };
    }
    case 'im_enter_direct_msg':
      return {
        type: 'message',
        message: {
          ...base,
          platformMsgId,
          from: 'customer',
          kind: 'event',
          text: '',
          attachments: [],
          event: { type: 'enter_session', data: {} },
          meta: replyMeta(c, platformMsgId, sentAt, ENTER_SCENE),
        },
      };
    case 'im_recall_msg': {
      const recalled = serverMsgId ?? (env.msgId || null);
      return {
        type: 'message',
        message: {
          ...base,
          // Never the recalled message's own id: the inbox unique index would take the recall for a duplicate.
          platformMsgId: `recall:${ctx.msgIdHeader ?? recalled ?? ctx.bodyDigest}`,
          // 'system', not 'customer': a recall is no customer turn (the bot must not answer it), and its
          // create_time may be the recalled message's, which the stale check would otherwise drop.
          from: 'system',
          kind: 'event',
          text: '',
          attachments: [],
          event: { type: 'recalled', data: { platformMsgId: recalled } },
          meta: {},
        },
      };
    }
    default:
      return {
        type: 'message',
        message: {
          ...base,
          platformMsgId: `${env.event.slice(0, 64)}:${ctx.msgIdHeader ?? serverMsgId ?? ctx.bodyDigest}`,
          from: 'system',
          kind: 'event',
          text: '',
          attachments: [],
          event: { type: 'unknown', data: { event: env.event.slice(0, 64) } },
          meta: {},
        },
      };
  }
}
