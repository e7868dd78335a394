/**
 * 抖店 writes its ids as JSON int64 numbers (official Go SDK types: zsmhub/doudian-sdk message/退款成功消息.go
 * `AftersaleId int64`, `PId int64`, `SIds []int64`; SKIT EventSamples/Refund/RefundCreatedEvent.json
 * `"p_id": 4705288465508532862`). The fakes keep ids as digit strings and write them the platform's way.
 */
import { LosslessNumber, stringify } from 'lossless-json';

const INT64_KEYS = new Set(['shop_order_id', 'after_sale_id', 'aftersale_id', 'related_id', 'p_id', 's_id', 's_ids', 'shop_id']);
const digits = (v: unknown): v is string => typeof v === 'string' && /^\d+$/.test(v);

function int64(value: unknown): unknown {
  if (digits(value)) return new LosslessNumber(value);
  return Array.isArray(value) ? value.map(int64) : value;
}

/** Digit-string values under the id keys become bare JSON numbers, at any depth. */
export function withInt64Ids(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withInt64Ids);
  if (typeof value !== 'object' || value === null || value instanceof LosslessNumber) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, INT64_KEYS.has(k) ? int64(v) : withInt64Ids(v)]));
}

/** JSON text with the ids as the platform writes them. */
export function int64Json(value: unknown): string {
  return stringify(withInt64Ids(value)) ?? 'null';
}
