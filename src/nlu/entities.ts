/**
 * Entity extraction exactly as the label contract in config/nlu/README.md defines it: order ids, mainland mobiles and
 * tracking numbers, every occurrence (deduplicated, in order of appearance), normalised.
 */
import { isIdCardNumber } from './id-card.js';
import type { Entities } from './types.js';

// Prefixed tracking numbers. `jdv` is tried before `jd`; a letter or digit right before the prefix
// means it is part of some other code. One optional space is allowed because buyers type "SF 1234…".
const PREFIXED_TRACKING = /(?<![a-z0-9])(jdv|jd|sf|yt|jt)[ -]?(\d{12,13})(?!\d)/gi;
const PREFIX_DIGITS: Record<string, readonly number[]> = { sf: [12, 13], yt: [13], jd: [12, 13], jdv: [12, 13], jt: [13] };
// A trailing x is read along so that an ID number ending in X (17 digits + X) is seen whole.
const ORDER_ID = /(?<!\d)(\d{16,19})(x?)(?!\d)/gi;
// +86 / 0086 / 86 prefix, then 1[3-9]x xxxx xxxx with optional single spaces or dashes between groups.
const PHONE = /(?<![\d+])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)/g;
const BARE_TRACKING = /(?<![a-z0-9])\d{12,14}(?!\d)/gi;
// A bare 12–14 digit number is a ZTO/STO/Yunda waybill only when the message talks about the parcel.
// 订单号/售后单号 are order words, not waybill words, so 单号 counts only when not preceded by them.
const CARRIER_WORDS = /快递|运单|(?<!订|售后)单号|中通|圆通|韵达|申通|极兔|邮政|百世|zto|sto|yunda/i;

interface Span {
  start: number;
  end: number;
}

function overlaps(spans: Span[], start: number, end: number): boolean {
  return spans.some((s) => start < s.end && end > s.start);
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** Pure: accepts raw or normalised text; full-width digits and letters are folded first. */
export function extractEntities(text: string): Entities {
  const out: Entities = { orderIds: [], phones: [], trackingNumbers: [] };
  if (typeof text !== 'string' || text.length === 0) return out;
  // NFKC keeps string length for ASCII/full-width forms, so spans stay comparable across the passes.
  const s = text.normalize('NFKC');
  if (!/\d/.test(s)) return out;
  const taken: Span[] = [];

  for (const m of s.matchAll(PREFIXED_TRACKING)) {
    const prefix = (m[1] ?? '').toLowerCase();
    const digits = m[2] ?? '';
    if (!(PREFIX_DIGITS[prefix] ?? []).includes(digits.length)) continue;
    taken.push({ start: m.index, end: m.index + m[0].length });
    pushUnique(out.trackingNumbers, prefix.toUpperCase() + digits);
  }
  for (const m of s.matchAll(ORDER_ID)) {
    if (overlaps(taken, m.index, m.index + m[0].length)) continue;
    taken.push({ start: m.index, end: m.index + m[0].length });
    const digits = m[1] ?? '';
    // A resident ID number (valid birth date and check digit) is 18 characters like an order id: skip it.
    if (isIdCardNumber(m[0]) || (m[2] === '' && isIdCardNumber(digits))) continue;
    pushUnique(out.orderIds, digits);
  }
  for (const m of s.matchAll(PHONE)) {
    if (overlaps(taken, m.index, m.index + m[0].length)) continue;
    taken.push({ start: m.index, end: m.index + m[0].length });
    pushUnique(out.phones, `${m[1]}${m[2]}${m[3]}`);
  }
  if (CARRIER_WORDS.test(s)) {
    for (const m of s.matchAll(BARE_TRACKING)) {
      if (overlaps(taken, m.index, m.index + m[0].length)) continue;
      pushUnique(out.trackingNumbers, m[0]);
    }
  }
  return out;
}
