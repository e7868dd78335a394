/**
 * 抖店 push tags, from the official message docs as typed by the official Go SDK (zsmhub/doudian-sdk
 * message/*.go, one file per tag with its op.jinritemai.com/docs/message-docs link) and SKIT EventSamples.
 */

export const TAG_PING = '0';
export const TAG_SHIPPED = '102';
export const TAG_LOGISTICS_CHANGED = '104';
export const TAG_PARTLY_SHIPPED = '108';
/** The shop's decisions in the 抖店 backend: 同意退款 (message-docs/31/116), 同意退货 (31/117). */
export const TAG_REFUND_AGREED = '201';
export const TAG_RETURN_AGREED = '202';
/** 买家退货给卖家 (message-docs/31/118): the push names no tracking number; afterSale.Detail has it. */
export const TAG_BUYER_RETURNED = '203';
/** 拒绝退款 (message-docs/31/119), 拒绝退货 (31/120): neither names the refusal's wording, only ids and amounts. */
export const TAG_REFUND_REFUSED = '204';
export const TAG_RETURN_REFUSED = '205';
export const TAG_REFUND_SUCCEEDED = '206';
/** 售后关闭 (message-docs/31/122): withdrawn by the buyer, timed out, or after the after-sale ended. */
export const TAG_AFTER_SALE_CLOSED = '207';
/** 特殊权益售后退款成功 (message-docs/31/1371): a refund went through, like 206. */
export const TAG_SPECIAL_REFUND_SUCCEEDED = '225';
/** 同意补寄申请 (message-docs/31/1984, zsmhub/doudian-sdk message/同意补寄申请.go RefundAuditAgreeResend). */
export const TAG_RESHIP_AGREED = '227';

export const TAG_NAMES: Readonly<Record<string, string>> = {
  '100': 'order_created',
  '101': 'order_paid',
  '102': 'order_shipped',
  '103': 'order_done',
  '104': 'logistics_changed',
  '105': 'address_changed',
  '106': 'order_cancelled',
  '108': 'order_partly_shipped',
  '109': 'order_amount_changed',
  '110': 'order_paid_pending',
  '111': 'address_change_applied',
  '113': 'seller_remark_added',
  '126': 'ship_deadline_changed',
  '200': 'after_sale_applied',
  '201': 'refund_agreed',
  '202': 'return_agreed',
  '203': 'buyer_returned',
  '204': 'refund_refused',
  '205': 'return_refused',
  '206': 'refund_succeeded',
  '207': 'after_sale_closed',
  '208': 'buyer_modified',
  '209': 'timeout_changed',
  '211': 'exchange_reshipped',
  '224': 'special_after_sale_applied',
  '225': 'special_refund_succeeded',
  /** 补寄商家发货 (message-docs/31/1983): names no tracking number. */
  '226': 'reship_shipped',
  '227': 'reship_agreed',
};

/** 212–218 are arbitration (仲裁) steps; the exact meaning of each is not needed to record them. */
const isArbitration = (tag: string): boolean => /^\d+$/.test(tag) && Number(tag) >= 212 && Number(tag) <= 218;

/** Whether we know what the tag means (unknown ones are still applied by range and recorded as unknown). */
export const isKnownTag = (tag: string): boolean => tag === TAG_PING || tag in TAG_NAMES || isArbitration(tag);

export function tagName(tag: string): string {
  const known = TAG_NAMES[tag];
  if (known) return known;
  if (isArbitration(tag)) return 'arbitration';
  return `tag_${tag}`;
}

export type TagClass = 'ping' | 'order' | 'after_sale' | 'other';

/** By the documented ranges: 1xx trade (订单) messages, 2xx refund (售后) messages; others (商品 4xx …) apart. */
export function classifyTag(tag: string): TagClass {
  if (tag === TAG_PING) return 'ping';
  if (!/^\d+$/.test(tag)) return 'other';
  const t = Number(tag);
  if (t >= 100 && t <= 199) return 'order';
  if (t >= 200 && t <= 299) return 'after_sale';
  return 'other';
}

/** Tags that mean the money went back: both run the refund-succeeded flow. */
export const REFUND_SUCCEEDED_TAGS: ReadonlySet<string> = new Set([TAG_REFUND_SUCCEEDED, TAG_SPECIAL_REFUND_SUCCEEDED]);

/** Shipment pushes: their `logistics_msg` carries the tracking number. */
export const SHIPMENT_TAGS: ReadonlySet<string> = new Set([TAG_SHIPPED, TAG_LOGISTICS_CHANGED, TAG_PARTLY_SHIPPED]);

/** A later non-terminal push (out of order) must not overwrite these. */
export const TERMINAL_AFTER_SALE_TAGS: ReadonlySet<string> = new Set([TAG_REFUND_SUCCEEDED, TAG_SPECIAL_REFUND_SUCCEEDED, TAG_AFTER_SALE_CLOSED]);

const STATUS_NAMES: ReadonlySet<string> = new Set([...Object.values(TAG_NAMES), 'arbitration']);

/** Template key of the shopper's wording for a tag name (templates/zh-CN/doudian.json); null for unknown tags. */
export const statusLabelKey = (name: string): string | null => (STATUS_NAMES.has(name) ? `label.doudian_tag.${name}` : null);
