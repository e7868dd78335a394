/**
 * Masking for alerts, which leave the system (WeCom groups, app messages). core/mask.ts covers phones, ID
 * cards and addresses that start with a province or city; alerts also quote customers who write a street
 * address without one, a landline, or a labelled address/recipient, and full-width digits.
 */
import { maskedExcerpt, maskText } from '../core/mask.js';

const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/g;
/** Landlines: 010-12345678, 0755 1234567. */
const LANDLINE = /(?<!\d)(0\d{2,3})[\s-]?\d{3,4}(\d{4})(?!\d)/g;
/** "地址：…" / "收货地址: …" / "收件人 张三": everything after the label up to the next break. */
const LABELLED = /((?:收货|收件|寄件|配送|家庭|详细)?地址|收件人|收货人|联系人)\s*[:：]?\s*([^\s,，。;；!！?？\n]{2,60})/g;
/**
 * A street address without province/city: a place word (区, 路, 小区...) followed by a house number
 * (号, 栋, 单元, 室...). Keeps the first two characters so the alert still says roughly where.
 */
const STREET =
  /([\u4e00-\u9fa5]{2})[\u4e00-\u9fa5]{0,12}(?:区|县|镇|乡|路|街|街道|大道|巷|弄|胡同|村|小区|花园|家园|公寓|大厦|苑)[\u4e00-\u9fa5\dA-Za-z\-#－]{0,20}?\d+\s*(?:号楼|号院|号|栋|幢|单元|室|楼|层)(?:[\dA-Za-z\-#－]*(?:号楼|号|栋|幢|单元|室|楼|层))*[\dA-Za-z\-#－]*/g;

/** Masks free text for an alert: everything core/mask.ts does, plus the forms above. Idempotent. */
export function maskAlertText(text: string): string {
  const ascii = text.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return maskText(ascii)
    .replace(LABELLED, (_m, label: string, value: string) => `${label}：${value.includes('****') ? value : `${value.slice(0, 1)}****`}`)
    .replace(STREET, '$1****')
    .replace(LANDLINE, '$1****$2');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Masks every string inside alert data (numbers, booleans, record ids and structure stay). */
export function maskAlertData(value: unknown): unknown {
  if (typeof value === 'string') return UUID.test(value) ? value : maskAlertText(value);
  if (Array.isArray(value)) return value.map(maskAlertData);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskAlertData(v)]));
  }
  return value;
}

/** Masks for an alert, then cuts to `maxChars` characters: a cut never leaves half a phone number unmasked. */
export const alertExcerpt = (text: string, maxChars: number): string => maskedExcerpt(text, maxChars, maskAlertText);
