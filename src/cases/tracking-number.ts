/**
 * Reading a return tracking number from a shopper's message once the bot has asked for one (the return address
 * was sent). The NLU's entity extraction (src/nlu/entities.ts) is asked first; because the shopper was just asked
 * for the number, a bare waybill number counts here even without a carrier word, and the longer forms the
 * general extractor leaves out are read too.
 *
 * Formats (the carriers' own lookup pages; collected in github.com/BF-zh/Courier-Validation src/pattern/*.ts and
 * the UPU S10 standard for EMS/China Post items):
 *   顺丰 SF + 12–15 digits · 圆通 YT + 13 digits · 京东 JD (+ 0–2 letters/digits) + 11–13 digits · 极兔 JT + 13
 *   digits · EMS/邮政 two letters + 9 digits + two letters (EA123456789CN) · 中通 ZTO, 韵达, 申通 STO, 邮政 bare
 *   12–15 digits (which carrier a bare number belongs to is only said when the shopper names it).
 * 11-digit mobiles and 16–19 digit order ids are never read as waybills.
 */
import { extractEntities } from '../nlu/entities.js';

export interface TrackingNumber {
  trackingNo: string;
  /** The carrier's Chinese name when the number's prefix or the shopper's words say it; null otherwise. */
  carrier: string | null;
}

const PREFIXED = /(?<![A-Z0-9])(SF|YT|JT|JD[A-Z0-9]{0,2})[ -]?(\d{11,15})(?!\d)/;
const PREFIX_DIGITS: Record<string, readonly [number, number]> = { SF: [12, 15], YT: [13, 13], JT: [13, 13], JD: [11, 13] };
const S10 = /(?<![A-Z0-9])([A-Z]{2}\d{9}[A-Z]{2})(?![A-Z0-9])/;
const S10_WHOLE = /^[A-Z]{2}\d{9}[A-Z]{2}$/;
const BARE = /(?<![A-Z0-9])(\d{12,15})(?!\d)/;

const ORDER_WORDS = /订单|售后单/;
const WAYBILL_WORDS = /快递|运单|物流|退货|寄/;

const PREFIX_CARRIER: Record<string, string> = { SF: '顺丰', YT: '圆通', JT: '极兔', JD: '京东' };
/** Carrier words a shopper types, in the order they are tried; the value is the name the bot says back. */
const CARRIER_WORDS: readonly (readonly [RegExp, string])[] = [
  [/顺丰|\bSF\b/, '顺丰'],
  [/中通|\bZTO\b/, '中通'],
  [/圆通|\bYTO?\b/, '圆通'],
  [/韵达|\bYUNDA\b/, '韵达'],
  [/申通|\bSTO\b/, '申通'],
  [/京东|\bJD\b/, '京东'],
  [/极兔|\bJ&?T\b/, '极兔'],
  [/\bEMS\b|邮政/, 'EMS'],
];

const prefixOf = (no: string): string | null => {
  const m = /^(SF|YT|JT|JD)/.exec(no);
  return m?.[1] ?? null;
};

function carrierOf(no: string, text: string): string | null {
  if (S10_WHOLE.test(no)) return 'EMS';
  const prefix = prefixOf(no);
  if (prefix) return PREFIX_CARRIER[prefix] ?? null;
  return CARRIER_WORDS.find(([word]) => word.test(text))?.[1] ?? null;
}

function readNumber(text: string): string | null {
  const known = extractEntities(text).trackingNumbers[0];
  if (known) return known;
  const prefixed = PREFIXED.exec(text);
  if (prefixed) {
    const [, prefix = '', digits = ''] = prefixed;
    const [min, max] = PREFIX_DIGITS[prefix.slice(0, 2)] ?? [0, 0];
    if (digits.length >= min && digits.length <= max) return prefix + digits;
  }
  return S10.exec(text)?.[1] ?? BARE.exec(text)?.[1] ?? null;
}

/** Pure: the first tracking number in the message and its carrier, or null when there is none. */
export function readTrackingNumber(text: string): TrackingNumber | null {
  if (typeof text !== 'string') return null;
  const s = text.normalize('NFKC').toUpperCase();
  if (!/\d/.test(s)) return null;
  // An order id is not a waybill: a message carrying one is about an order, whatever else it holds.
  if (extractEntities(s).orderIds.length > 0 || (ORDER_WORDS.test(s) && !WAYBILL_WORDS.test(s))) return null;
  const trackingNo = readNumber(s);
  return trackingNo ? { trackingNo, carrier: carrierOf(trackingNo, s) } : null;
}
