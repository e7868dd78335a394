/**
 * Masking of personal data for logs, alerts and exports. Pure functions.
 * Phones keep 3 + 4 digits (138****5678), ids keep a short prefix, addresses keep the first few characters.
 * Shoppers write numbers with spaces, dots, dashes or underscores between digits ("138.1234.5678",
 * "138_1234_5678", "1 3 8 1 2 3 4 5 6 7 8"), so every digit may be followed by one such separator.
 */

/** One optional separator between digits. */
const SEP = '[\\s.\\-_·]?';
const digits = (n: number): string => `(?:${SEP}\\d){${n}}`;
const PHONE = new RegExp(`(?<![\\d.\\-_])(?:\\+?86${SEP})?(1${SEP}[3-9]${SEP}\\d)(${digits(4)})(${digits(4)})(?![\\d])`, 'g');
const LONG_DIGITS = /(?<!\d)(\d{4})\d{8,}(\d{3})(?!\d)/g;
/** 18 characters (17 digits + digit or X), with spaces or dashes between the groups or between digits. */
const ID_CARD = new RegExp(`(?<![\\dXx])\\d${digits(16)}[\\s\\-]?[\\dXx](?![\\dXx])`, 'g');
const ADDRESS = /([\u4e00-\u9fa5]{2,6}(?:省|市|自治区))[\u4e00-\u9fa5\d\-#号栋单元室楼弄巷路街道区县镇村]{4,}/g;
const EMAIL = /([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
/** WeChat's generated ids (wxid_…) and ids written after a 微信/vx label. */
const WXID = /wxid_[A-Za-z0-9_-]+/gi;
const WECHAT_LABELLED = /((?:微信号?|weixin|wechat|vx|v信|wx)\s*[:：]?\s*)([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])/gi;

const onlyDigits = (s: string): string => s.replace(/[^\dXx]/g, '');

/** Masks phone numbers, ID card numbers, e-mail addresses, WeChat ids and street addresses. Order ids stay readable. */
export function maskText(text: string): string {
  return text
    .replace(ID_CARD, (m) => {
      const d = onlyDigits(m);
      return `${d.slice(0, 6)}********${d.slice(14)}`;
    })
    .replace(PHONE, (_m, a: string, _b: string, c: string) => `${onlyDigits(a)}****${onlyDigits(c)}`)
    .replace(EMAIL, '$1***@$2')
    .replace(WXID, 'wxid_****')
    .replace(WECHAT_LABELLED, (_m, label: string, id: string) => `${label}${id.slice(0, 1)}****`)
    .replace(ADDRESS, '$1****');
}

/**
 * Masks, then cuts to at most `maxChars` characters (with an ellipsis when cut). Cutting first could leave
 * half a phone number that no longer looks like one and so escapes the mask.
 */
export function maskedExcerpt(text: string, maxChars: number, mask: (text: string) => string = maskText): string {
  const masked = [...mask(text)];
  return masked.length > maxChars ? `${masked.slice(0, maxChars).join('')}…` : masked.join('');
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
