/** Customer-facing texts for 抖店 events, from templates/zh-CN/doudian.json. */
import { createHash } from 'node:crypto';
import { renderTemplate, type TemplateBook } from '../../../templates/render.js';

export function formatYuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

const seedOf = (msgId: string): number => createHash('sha256').update(msgId).digest().readUInt32BE(0);

/** Told to the customer when 抖店 reports 退款成功 (206/225); the same push always gets the same wording. */
export function refundSucceededText(refundAmountFen: number | null, msgId: string, book: TemplateBook): string {
  const seed = seedOf(msgId);
  return refundAmountFen !== null && refundAmountFen > 0
    ? renderTemplate(book, 'doudian.refund_succeeded', { amount: formatYuan(refundAmountFen) }, { seed })
    : renderTemplate(book, 'doudian.refund_succeeded_no_amount', {}, { seed });
}

/**
 * The reason a shopper reads when the shop refused in 抖店 (204 退款 / 205 退货): the pushes carry no wording of the
 * refusal, so it says where the details are. The same push always gets the same wording.
 */
export function shopRefusalReason(what: 'refund' | 'return', msgId: string, book: TemplateBook): string {
  return renderTemplate(book, `doudian.refused.${what}`, {}, { seed: seedOf(msgId) });
}
