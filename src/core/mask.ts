/**
 * Masking of personal data for logs, alerts and exports. Pure functions.
 * Phones keep 3 + 4 digits (138****5678), ids keep a short prefix, addresses keep the first few characters.
 */

const PHONE = /(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
const LONG_DIGITS = /(?<!\d)(\d{4})\d{8,}(\d{3})(?!\d)/g;
const ID_CARD = /(?<![\dXx])(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])/g;
const ADDRESS = /([\u4e00-\u9fa5]{2,6}(?:省|市|自治区))[\u4e00-\u9fa5\d\-#号栋单元室楼弄巷路街道区县镇村]{4,}/g;

/** Masks phone numbers, ID card numbers and street addresses inside free text. Order ids stay readable. */
export function maskText(text: string): string {
  return text
    .replace(ID_CARD, '$1********$2')
    .replace(PHONE, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(ADDRESS, '$1****');
}

/** Masks an opaque user id: keeps 4 characters so two log lines can still be matched. */
export function maskId(id: string | null | undefined): string {
  if (!id) return '';
  if (id.length <= 6) return `${id.slice(0, 1)}***`;
  return `${id.slice(0, 4)}***`;
}

/** Masks every long digit run (phones, order ids) — for places where even order ids should not show. */
export function maskDigits(text: string): string {
  return text.replace(LONG_DIGITS, '$1****$2');
}
