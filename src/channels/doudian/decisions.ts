/**
 * The shop's decisions in the 抖店 backend, as after-sale pushes name them. Tags and fields from the official
 * message docs as typed by the official Go SDK (zsmhub/doudian-sdk message/*.go, one file per tag):
 * 201 同意退款 (op.jinritemai.com/docs/message-docs/31/116), 202 同意退货 (31/117), 204 拒绝退款 (31/119),
 * 205 拒绝退货 (31/120), 227 同意补寄 (31/1984), 207 售后关闭 (31/122). `aftersale_type` is 0 退货退款, 1 已发货仅退款,
 * 2 未发货仅退款 (afterSale.List enum).
 */
import type { Resolution } from '../../core/types.js';
import type { TemplateBook } from '../../../templates/render.js';
import {
  TAG_AFTER_SALE_CLOSED,
  TAG_REFUND_AGREED,
  TAG_REFUND_REFUSED,
  TAG_RESHIP_AGREED,
  TAG_RETURN_AGREED,
  TAG_RETURN_REFUSED,
} from './tags.js';
import { shopRefusalReason } from './texts.js';

/** What the shop decided, with the push it came in (`msgId` keys everything it adds). */
export type ShopDecision = { tag: string; msgId: string } & (
  | { verdict: 'approved'; resolutions: Resolution[] }
  | { verdict: 'rejected'; reason: string }
  /** The after-sale ended in 抖店 without a refund: the shopper withdrew it, or it timed out. */
  | { verdict: 'closed' }
);

/** The after-sale's decision a push carries, or null for pushes that are no decision (200, 203, 206 …). */
export function shopDecisionOf(push: { tag: string; msgId: string; afterSaleType: number | null }, book: TemplateBook): ShopDecision | null {
  const { tag, msgId } = push;
  switch (tag) {
    case TAG_REFUND_AGREED:
      // 同意退款 also ends a 退货退款 after-sale once the goods are back: the shopper was granted the return-refund.
      return { tag, msgId, verdict: 'approved', resolutions: [push.afterSaleType === 0 ? 'return_refund' : 'refund'] };
    case TAG_RETURN_AGREED:
      return { tag, msgId, verdict: 'approved', resolutions: ['return_refund'] };
    case TAG_RESHIP_AGREED:
      return { tag, msgId, verdict: 'approved', resolutions: ['reship'] };
    case TAG_REFUND_REFUSED:
      return { tag, msgId, verdict: 'rejected', reason: shopRefusalReason('refund', msgId, book) };
    case TAG_RETURN_REFUSED:
      return { tag, msgId, verdict: 'rejected', reason: shopRefusalReason('return', msgId, book) };
    case TAG_AFTER_SALE_CLOSED:
      return { tag, msgId, verdict: 'closed' };
    default:
      return null;
  }
}
