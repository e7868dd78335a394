/** 抖店 push tags (platforms.md §6; DD-GO message/*, SKIT EventSamples). */

export const TAG_PING = '0';
export const TAG_SHIPPED = '102';
export const TAG_LOGISTICS_CHANGED = '104';
export const TAG_REFUND_SUCCEEDED = '206';
export const TAG_AFTER_SALE_CLOSED = '207';

export const TAG_NAMES: Readonly<Record<string, string>> = {
  '100': 'order_created',
  '101': 'order_paid',
  '102': 'order_shipped',
  '103': 'order_done',
  '104': 'logistics_changed',
  '105': 'address_changed',
  '106': 'order_cancelled',
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
  '226': 'reship_applied',
  '227': 'reship_changed',
};

/** 212–218 are arbitration (仲裁) steps; the exact meaning of each is not needed to record them. */
export function tagName(tag: string): string {
  const known = TAG_NAMES[tag];
  if (known) return known;
  const t = Number(tag);
  if (t >= 212 && t <= 218) return 'arbitration';
  return `tag_${tag}`;
}

export type TagClass = 'ping' | 'order' | 'after_sale' | 'unknown';

export function classifyTag(tag: string): TagClass {
  if (tag === TAG_PING) return 'ping';
  if (!/^\d+$/.test(tag)) return 'unknown';
  const t = Number(tag);
  if (t >= 100 && t <= 106) return 'order';
  if (t >= 200 && t <= 227) return 'after_sale';
  return 'unknown';
}

/** A later non-terminal push (out of order) must not overwrite these. */
export const TERMINAL_AFTER_SALE_TAGS: ReadonlySet<string> = new Set([TAG_REFUND_SUCCEEDED, TAG_AFTER_SALE_CLOSED]);
