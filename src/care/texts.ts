/** What shoppers, agents and managers read about proactive care: every wording is in templates/zh-CN/care.json. */
import { orderTail } from '../dialogue/intake.js';
import { seedOf } from '../dialogue/replies.js';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';

const first = (book: TemplateBook, key: string, vars: Record<string, string | number | null>): string => renderTemplate(book, key, vars, { seed: 0 });

export interface ParcelFacts {
  orderId: string;
  trackingNo: string;
  /** The carrier's name, or its 抖店 id when the name is not known. */
  carrier: string | null;
  expressCompanyId: string | null;
  days: number;
}

/** A name shoppers and agents can read, even when 抖店 gave only its carrier id. */
export function carrierLabel(book: TemplateBook, p: Pick<ParcelFacts, 'carrier' | 'expressCompanyId'>): string {
  if (p.carrier) return p.carrier;
  return p.expressCompanyId ? first(book, 'care.carrier.unknown', { id: p.expressCompanyId }) : first(book, 'care.carrier.none', {});
}

export function careNotice(book: TemplateBook, p: ParcelFacts, opts: { incident: boolean; seed: string }): string {
  const key = opts.incident ? 'care.notice.incident' : 'care.notice.stale';
  return renderTemplate(book, key, { orderTail: orderTail(p.orderId), carrier: carrierLabel(book, p), days: p.days }, { seed: seedOf(opts.seed) });
}

export function caseDescription(book: TemplateBook, p: ParcelFacts): string {
  return first(book, 'care.case.description', { trackingNo: p.trackingNo, carrier: carrierLabel(book, p), days: p.days });
}

export type CareTaskCode = 'no_conversation' | 'window_closed';

export function taskReason(book: TemplateBook, code: CareTaskCode, p: ParcelFacts, text: string): string {
  return first(book, `care.task.${code}`, { orderId: p.orderId, trackingNo: p.trackingNo, carrier: carrierLabel(book, p), days: p.days, text });
}

export function incidentAlert(book: TemplateBook, v: { carrier: string; count: number; hours: number }): { title: string; text: string; suggestion: string } {
  return {
    title: first(book, 'care.alert.incident.title', v),
    text: first(book, 'care.alert.incident.text', v),
    suggestion: first(book, 'care.alert.incident.suggestion', v),
  };
}
