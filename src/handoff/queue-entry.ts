/**
 * What happens when a case joins the people queue: the assigner is asked to run, its SLA clocks start, the
 * customer gets an honest wait, and a risky or level-1 case alerts the managers at once.
 */
import { DateTime } from 'luxon';
import type { Case } from '../core/types.js';
import type { Customer } from '../store/types.js';
import { alertExcerpt, raiseAlert } from '../alerts/index.js';
import { groupRiskFlood } from '../alerts/flood.js';
import { requestSessionTransfer } from '../channels/wecom/session-transfer.js';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';
import type { Services } from '../services.js';
import { categoryLabel, estimateWait, requestAssignment, type WaitEstimate } from './assign.js';
import { caseRef, reasonLabel } from './refs.js';
import { handoffConfigOf, scheduleSla } from './sla.js';

export interface QueueEntry {
  case: Case;
  handoffMinutes: number;
  handoffWhen: string;
}

/** The wait in the customer's words (templates/zh-CN/queue.json): 「约15分钟内」, 「约2小时内」, 「明天 09:00 上班后」. */
export function waitPhrase(book: TemplateBook, e: WaitEstimate, timezone: string, now: number): string {
  if (e.onDutyNow || !e.backAt) {
    return e.minutes < 90 ? renderTemplate(book, 'queue.wait.minutes', { minutes: e.minutes }) : renderTemplate(book, 'queue.wait.hours', { hours: Math.ceil(e.minutes / 60) });
  }
  const back = DateTime.fromISO(e.backAt, { zone: timezone });
  const today = DateTime.fromMillis(now, { zone: timezone }).startOf('day');
  const days = Math.round(back.startOf('day').diff(today, 'days').days);
  const day = days >= 0 && days <= 2 ? renderTemplate(book, `queue.day.${days}`) : renderTemplate(book, `queue.weekday.${back.weekday}`);
  return renderTemplate(book, 'queue.wait.back', { day, time: back.toFormat('HH:mm') });
}

/** The managers' alert text of a case joining the queue: category, channel, reason and the customer's words. */
function alertText(book: TemplateBook, c: Case, reason: string, words: string | null): string {
  return renderTemplate(book, 'queue.alert.text', {
    category: categoryLabel(book, c.category),
    channel: renderTemplate(book, `queue.channel.${c.channel}`),
    reason: reasonLabel(book, reason),
    words: words ? renderTemplate(book, 'queue.alert.words', { words: alertExcerpt(words, 120) }) : '',
  });
}

export async function enterQueue(
  s: Services,
  input: { case: Case; floorMinutes: number; reason: string; risk: boolean; key: string; words: string | null },
): Promise<QueueEntry> {
  const c = input.case;
  const cfg = handoffConfigOf(s);
  const updated = c.status === 'escalated' || c.status === 'assigned' ? await scheduleSla(s, c) : c;
  await requestAssignment(s, 'escalated');
  // WECOM_HANDOFF=native: the WeCom session itself goes to WeCom's servicers too.
  await requestSessionTransfer(s, { conversationId: c.conversationId, channel: c.channel, key: input.key });
  const book = s.data.templates;
  const grouped = input.risk && (await groupRiskFlood(s, { customer: await customerOf(s, c), words: input.words, channel: c.channel })) === 'grouped';
  if (input.risk && !grouped) {
    await raiseAlert(s, {
      key: `risk:${input.key}`,
      kind: 'risk',
      level: 'critical',
      title: renderTemplate(book, 'queue.alert.risk_title', { caseRef: caseRef(c.id) }),
      text: alertText(book, c, input.reason, input.words),
      caseId: c.id,
      data: { reason: input.reason, channel: c.channel },
    });
  } else if (!input.risk && c.priority === 1) {
    await alertUrgentCase(s, c, input.reason);
  }
  const estimate = await estimateWait(s, updated, { config: cfg, floorMinutes: input.floorMinutes });
  return { case: updated, handoffMinutes: estimate.minutes, handoffWhen: waitPhrase(book, estimate, cfg.timezone, s.clock.now()) };
}

/**
 * A case the bot filed joins the review queue (待审核): its response and decision clocks start and the assigner
 * looks for a person. Returns the decision time in on-duty hours, which is what the shopper is promised.
 */
export async function enterReview(s: Services, c: Case): Promise<{ case: Case; decisionHours: number }> {
  const updated = c.status === 'open' ? await scheduleSla(s, c) : c;
  if (c.status === 'open') await requestAssignment(s, 'filed for review');
  return { case: updated, decisionHours: handoffConfigOf(s).review.decisionHours };
}

/** The store's customer of a case (through its conversation: the case keeps the platform's user id). */
async function customerOf(s: Services, c: Case): Promise<Customer | null> {
  const conv = await s.store.getConversation(c.conversationId);
  return conv ? s.store.getCustomer(conv.customerId) : null;
}

/** A level-1 case (safety hazard, false advertising, VIP…) tells the managers at once, once per case. */
export async function alertUrgentCase(s: Services, c: Case, reason: string): Promise<void> {
  if (c.priority !== 1) return;
  const book = s.data.templates;
  await raiseAlert(s, {
    key: `urgent:${c.id}`,
    kind: 'urgent_case',
    level: 'warning',
    title: renderTemplate(book, 'queue.alert.urgent_title', { caseRef: caseRef(c.id) }),
    text: alertText(book, c, reason, c.description),
    caseId: c.id,
    data: { reason, channel: c.channel },
  });
}
