/**
 * The Douyin reply window (Douyin open platform 企业号私信 docs, developer.open-douyin.com): a reply must name the customer message it answers (`msg_id`),
 * valid 24 h per the SDK comments. Proactive sends exist only as `im_authorize_message` (1/day, prior
 * authorization), which we do not use: outside a fresh msg_id a message becomes a person's task.
 */
import type { WindowCheck, WindowOptions } from '../types.js';
import type { Conversation } from '../../store/types.js';
import { REPLY_SCENE } from './events.js';

export const MSG_ID_TTL_MS = 24 * 3600 * 1000;
/** Refuse a little early so a reply queued at 23:59:59 is not rejected on arrival. */
export const WINDOW_MARGIN_MS = 60 * 1000;

export interface ReplyTarget {
  msgId: string;
  msgAt: number;
  conversationId: string | null;
  scene: string;
}

type MetaLike = Record<string, unknown> | undefined | null;

function targetOf(meta: MetaLike): ReplyTarget | null {
  if (!meta) return null;
  const { msgId, msgAt, conversationId, scene } = meta;
  if (typeof msgId !== 'string' || !msgId || typeof msgAt !== 'number' || !Number.isFinite(msgAt)) return null;
  return {
    msgId,
    msgAt,
    conversationId: typeof conversationId === 'string' && conversationId ? conversationId : null,
    scene: typeof scene === 'string' && scene ? scene : REPLY_SCENE,
  };
}

export function isFresh(target: ReplyTarget, now: number): boolean {
  return now - target.msgAt < MSG_ID_TTL_MS - WINDOW_MARGIN_MS;
}

/**
 * The msg_id to answer: the message this reply answers when still fresh (right msg_id), otherwise the
 * conversation's newest one. Null when neither is inside the 24 h window.
 */
export function pickReplyTarget(sources: MetaLike[], now: number): ReplyTarget | null {
  for (const source of sources) {
    const t = targetOf(source);
    if (t && isFresh(t, now)) return t;
  }
  return null;
}

export const REASON_HUMAN = 'a person is handling this Douyin conversation; the bot stays quiet';
export const REASON_CLOSED = 'Douyin reply window closed: no customer message in the last 24 h (msg_id expired)';
export const REASON_PROACTIVE =
  'Douyin allows messages outside a fresh msg_id only as im_authorize_message (1/day, prior authorization): hand it to a person';

export function checkDouyinWindow(conv: Conversation, now: number, opts: WindowOptions = {}): WindowCheck {
  const target = pickReplyTarget([conv.meta], now);
  if (opts.proactive) return target ? { ok: true } : { ok: false, reason: REASON_PROACTIVE };
  // While a person owns the conversation the bot stays quiet; console agents still answer.
  const quiet = opts.author ? opts.author === 'bot' : true;
  if (conv.mode === 'human' && quiet) return { ok: false, reason: REASON_HUMAN };
  return target ? { ok: true } : { ok: false, reason: REASON_CLOSED };
}
