/**
 * 抖店 sends ids (`p_id`, `s_id`, `aftersale_id`, `shop_order_id`, `s_ids[]`) as JSON numbers above 2^53 in
 * pushes and API responses (the official Go SDK types them int64: zsmhub/doudian-sdk message/退款成功消息.go;
 * SKIT.FlurlHttpClient.ByteDance EventSamples/Refund/RefundCreatedEvent.json has "p_id": 4705288465508532862).
 * `JSON.parse` rounds those to the nearest double, so an after-sale push would name an order we never saw.
 * Here integers that a double cannot hold exactly keep their digits, and every id field becomes a string
 * (small ones too), so ids compare equal however the platform wrote them.
 */
import { isInteger, isSafeNumber, parse } from 'lossless-json';

const ID_KEYS = new Set([
  'p_id',
  's_id',
  's_ids',
  'shop_id',
  'aftersale_id',
  'after_sale_id',
  'shop_order_id',
  'order_id',
  'parent_order_id',
  'related_id',
  'shipped_order_id',
]);

const numberOrDigits = (text: string): number | string => (isInteger(text) && !isSafeNumber(text) ? text : Number(text));
const idText = (v: unknown): unknown => (typeof v === 'number' ? String(v) : v);

function idsAsStrings(this: unknown, key: string, value: unknown): unknown {
  if (!ID_KEYS.has(key)) return value;
  return Array.isArray(value) ? value.map(idText) : idText(value);
}

/** `JSON.parse` without precision loss and with ids as strings; throws SyntaxError on malformed input. */
export function parseDoudianJson(text: string): unknown {
  return parse(text, idsAsStrings, numberOrDigits);
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
