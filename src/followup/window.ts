/**
 * May a survey or follow-up go out to this customer now? The channel's own window check decides (WeCom 48 h /
 * 5 messages / session state, Douyin's 24 h msg_id), plus Douyin's daily proactive limit, the survey
 * cooldown and whether the customer is busy with another case. A "no" comes with a reason a community
 * manager can act on: the message becomes their task instead of a send that would fail.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { MESSAGE_CAP, WINDOW_MARGIN_MS, WINDOW_MS } from '../channels/wecom/window.js';
import type { Case } from '../core/types.js';
import { ACTIVE } from '../core/lifecycle.js';
import { collecting, readState } from '../dialogue/state.js';
import type { Services } from '../services.js';
import type { Conversation, Store } from '../store/types.js';
import type { TemplateBook } from '../../templates/render.js';
import { readPlan, type StepName } from './plan.js';
import { SHOP_ZONE, taskReason, type BlockCode } from './texts.js';

export type SendCheck = { ok: true } | { ok: false; code: BlockCode; reason: string };


function blockCode(conv: Conversation, now: number): BlockCode {
  if (conv.channel === 'douyin') return 'douyin_window';
  if (conv.channel !== 'wecom') return 'blocked';
  if (conv.lastCustomerAt === null) return 'wecom_no_message';
  if (now - conv.lastCustomerAt > WINDOW_MS - WINDOW_MARGIN_MS) return 'wecom_window';
  if (conv.repliesSinceCustomer >= MESSAGE_CAP) return 'wecom_cap';
  return 'wecom_session';
}

/** The platform window for a proactive message, as if the bot had the conversation (it takes it back to send). */
export function checkPlatform(s: Pick<Services, 'senders'>, conv: Conversation, now: number, book: TemplateBook, step: StepName): SendCheck {
  const sender = s.senders[conv.channel];
  const vars = { step, lastAt: conv.lastCustomerAt, channel: conv.channel };
  if (!sender) return { ok: false, code: 'no_channel', reason: taskReason(book, 'no_channel', vars) };
  const check = sender.checkWindow({ ...conv, mode: 'bot' }, now, { proactive: true });
  if (check.ok) return { ok: true };
  const code = blockCode(conv, now);
  return { ok: false, code, reason: taskReason(book, code, vars) };
}

async function customerCases(store: Store, kase: Pick<Case, 'customerId' | 'channel'>): Promise<Case[]> {
  return (await store.listCases({ customerId: kase.customerId, channel: kase.channel, limit: 200 })).items;
}

const msOf = (iso: unknown): number | null => (typeof iso === 'string' && Number.isFinite(Date.parse(iso)) ? Date.parse(iso) : null);

/** Douyin: surveys and follow-ups already sent to this customer today (shop time zone). */
export async function douyinDailyCheck(
  s: Pick<Services, 'store'>,
  kase: Case,
  opts: { now: number; limit: number; book: TemplateBook; step: StepName; lastAt: number | null },
): Promise<SendCheck> {
  if (kase.channel !== 'douyin') return { ok: true };
  const dayStart = DateTime.fromMillis(opts.now, { zone: SHOP_ZONE }).startOf('day').toMillis();
  let sent = 0;
  for (const c of await customerCases(s.store, kase)) {
    const plan = readPlan(c);
    for (const at of [plan?.survey.sentAt, plan?.visit.sentAt]) {
      const ms = msOf(at);
      if (ms !== null && ms >= dayStart && ms <= opts.now) sent++;
    }
  }
  if (sent < opts.limit) return { ok: true };
  return { ok: false, code: 'douyin_daily', reason: taskReason(opts.book, 'douyin_daily', { step: opts.step, lastAt: opts.lastAt, channel: 'douyin', limit: opts.limit }) };
}

/** Was this customer surveyed within the cooldown (any case, any earlier round)? The store is the record. */
export async function inSurveyCooldown(s: Pick<Services, 'store'>, kase: Case, opts: { now: number; cooldownMs: number }): Promise<boolean> {
  for (const c of await customerCases(s.store, kase)) {
    const sentAt = msOf((c.data.survey as { sentAt?: unknown } | undefined)?.sentAt);
    if (sentAt !== null && opts.now - sentAt < opts.cooldownMs) return true;
  }
  return false;
}

/**
 * Claims the customer's survey slot for the cooldown, just before sending: two cases of one customer coming due
 * at the same moment (both past the store check) send one survey, not two. False when another case holds it.
 */
export async function claimSurvey(s: Pick<Services, 'redis' | 'config'>, kase: Case, opts: { cooldownMs: number; claim: string }): Promise<boolean> {
  const who = createHash('sha256').update(`${kase.channel}\u0000${kase.customerId}`).digest('hex').slice(0, 24);
  const key = `${s.config.queuePrefix}:followup:surveyed:${who}`;
  if (await s.redis.set(key, opts.claim, 'PX', Math.max(1, opts.cooldownMs), 'NX')) return true;
  return (await s.redis.get(key)) === opts.claim;
}

/** Another case of this conversation is being handled, or an intake is in progress: not the moment to ask. */
export async function customerBusy(s: Pick<Services, 'store'>, kase: Case, conv: Conversation): Promise<boolean> {
  if (collecting(readState(conv.state))) return true;
  const others = await s.store.listCases({ conversationId: conv.id, status: [...ACTIVE], limit: 5 });
  return others.items.some((c) => c.id !== kase.id);
}
