/** Customer-facing texts for 抖店 events, from templates/zh-CN/doudian.json. */
import { createHash } from 'node:crypto';
import { renderTemplate, type TemplateBook } from '../../../templates/render.js';

export function formatYuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** Told to the customer when 抖店 reports 退款成功 (206/225); the same push always gets the same wording. */
export function refundSucceededText(refundAmountFen: number | null, msgId: string, book: TemplateBook): string {
  const seed = createHash('sha256').update(msgId).digest().readUInt32BE(0);
  return refundAmountFen !== null && refundAmountFen > 0
    ? renderTemplate(book, 'doudian.refund_succeeded', { amount: formatYuan(refundAmountFen) }, { seed })
    : renderTemplate(book, 'doudian.refund_succeeded_no_amount', {}, { seed });
}
