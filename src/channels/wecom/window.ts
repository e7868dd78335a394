/**
 * What WeCom would accept right now (WeCom 微信客服 发送消息 doc): only ≤48 h after the customer's last message,
 * at most 5 messages per customer message, and only while the session is in state 0/1 (not in the pool, not
 * with a servicer, not ended). The bot checks all of this itself and never attempts a refused send.
 */
import type { Conversation } from '../../store/types.js';
import type { WindowCheck, WindowOptions } from '../types.js';

export const WINDOW_MS = 48 * 3600 * 1000;
/** Refuse a little early so a reply queued at 47:59:59 is not refused on arrival. */
export const WINDOW_MARGIN_MS = 60 * 1000;
export const MESSAGE_CAP = 5;

/** Conversation meta keys this channel owns (written by the sync and the native handoff). */
export const META = {
  welcomeCode: 'wecomWelcomeCode',
  welcomeExpiresAt: 'wecomWelcomeExpiresAt',
  /** 'pool' | 'servicer' | 'ended': platform session states in which send_msg is refused. */
  state: 'wecomState',
  stateAt: 'wecomStateAt',
  /** msg_code of a transfer to the pool or a servicer: one text via send_msg_on_event while it stays there. */
  replyCode: 'wecomReplyCode',
  replyCodeExpiresAt: 'wecomReplyCodeExpiresAt',
} as const;

export const REASON_HUMAN = 'a person is handling this WeCom conversation; the bot stays quiet';
export const REASON_NO_MESSAGE = 'WeCom window closed: the customer has not written yet';
export const REASON_WINDOW = 'WeCom 48 h window closed: waiting for the customer to write again';
export const REASON_CAP = 'WeCom 5-message cap reached: waiting for the customer to write again';
export const REASON_POOL = 'the WeCom session is in the waiting pool or with a servicer: answer from the WeCom client';
export const REASON_ENDED = 'the WeCom session has ended: waiting for the customer to write again';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A platform state (pool/servicer/ended) blocks API sends until the customer opens a new session. */
export function platformBlock(conv: Conversation): string | null {
  const state = conv.meta[META.state];
  const at = num(conv.meta[META.stateAt]) ?? 0;
  const last = conv.lastCustomerAt ?? 0;
  if (state === 'ended') return last > at ? null : REASON_ENDED;
  if (state === 'pool' || state === 'servicer') {
    // A session lasts at most 48 h: a customer message after that opened a new one (state 0).
    return last > at + WINDOW_MS ? null : REASON_POOL;
  }
  return null;
}

/** A still-valid welcome code on the conversation (set by the sync on enter_session). */
export function hasFreshWelcome(conv: Conversation, now: number): boolean {
  const code = conv.meta[META.welcomeCode];
  const until = num(conv.meta[META.welcomeExpiresAt]);
  return typeof code === 'string' && code.length > 0 && until !== null && now < until;
}

/** A still-valid reply code while the session is in the pool or with a servicer (set by the native handoff). */
export function freshReplyCode(conv: Conversation, now: number): string | null {
  const code = conv.meta[META.replyCode];
  const until = num(conv.meta[META.replyCodeExpiresAt]);
  const valid = typeof code === 'string' && code.length > 0 && until !== null && now < until;
  return valid && platformBlock(conv) === REASON_POOL ? code : null;
}

/** Can `parts` more messages go out through send_msg now? */
export function sendBudget(conv: Conversation, now: number, parts = 1): WindowCheck {
  const block = platformBlock(conv);
  if (block) return { ok: false, reason: block };
  if (conv.lastCustomerAt === null) return { ok: false, reason: REASON_NO_MESSAGE };
  if (now - conv.lastCustomerAt > WINDOW_MS - WINDOW_MARGIN_MS) return { ok: false, reason: REASON_WINDOW };
  if (conv.repliesSinceCustomer + parts > MESSAGE_CAP) return { ok: false, reason: REASON_CAP };
  return { ok: true };
}

export function checkWecomWindow(conv: Conversation, now: number, opts: WindowOptions = {}): WindowCheck {
  // While a person owns the conversation the bot stays quiet; console agents (and system notices) still write.
  // Without an author, an answer to the customer is taken to be the bot's.
  const quiet = opts.author ? opts.author === 'bot' : !opts.proactive;
  if (conv.mode === 'human' && quiet) return { ok: false, reason: REASON_HUMAN };
  // After a transfer, one notice from people or the system may go out on the transfer's reply code.
  if (opts.author !== undefined && opts.author !== 'bot' && freshReplyCode(conv, now)) return { ok: true };
  const budget = sendBudget(conv, now);
  if (budget.ok || opts.proactive) return budget;
  // The welcome reply goes through send_msg_on_event, which needs no customer message.
  return hasFreshWelcome(conv, now) && !platformBlock(conv) ? { ok: true } : budget;
}
