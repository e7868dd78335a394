/**
 * 抖店 signing (抖店 open platform docs, op.jinritemai.com). API calls:
 *   s = secret + "app_key"+K + "method"+M + "param_json"+P + "timestamp"+T + "v"+V + secret
 *   sign = hex(HMAC_SHA256(key=secret, s))   (or hex(md5(s)) with sign_method=md5)
 * Pushes: event-sign = hex(md5(app_key + raw_body + app_secret)) over the body's bytes as received
 * (official Go SDK via zsmhub/doudian-sdk message/doudian_sign.go `VerifySign(body []byte, …)`).
 */
import { createHash, createHmac } from 'node:crypto';
import { verifyHexSignature } from '../../core/signature.js';

export type SignMethod = 'hmac-sha256' | 'md5';

/**
 * Compact JSON with keys sorted at every level, like the official SDKs. The server verifies the sign over
 * the param_json it receives, so what matters is that the signed string is exactly the string sent.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export interface SignInput {
  appKey: string;
  appSecret: string;
  method: string;
  paramJson: string;
  timestamp: string;
  v?: string;
  signMethod?: SignMethod;
}

export function signString(input: SignInput): string {
  const v = input.v ?? '2';
  return `${input.appSecret}app_key${input.appKey}method${input.method}param_json${input.paramJson}timestamp${input.timestamp}v${v}${input.appSecret}`;
}

export function doudianSign(input: SignInput): string {
  const s = signString(input);
  if (input.signMethod === 'md5') return createHash('md5').update(s, 'utf8').digest('hex');
  return createHmac('sha256', input.appSecret).update(s, 'utf8').digest('hex');
}

/**
 * Push signature. md5 is documented; the hmac-sha256 variant (key = secret, same string) is UNCONFIRMED
 * and used only when the `sign-method` header asks for it.
 */
export function eventSign(appKey: string, appSecret: string, rawBody: Buffer, method: SignMethod = 'md5'): string {
  const h = method === 'hmac-sha256' ? createHmac('sha256', appSecret) : createHash('md5');
  return h.update(appKey, 'utf8').update(rawBody).update(appSecret, 'utf8').digest('hex');
}

/** `sign-method` header → method; absent or unknown means md5 (the documented scheme). */
export function pushSignMethod(header: string | null | undefined): SignMethod {
  const h = (header ?? '').toLowerCase().replace(/[_\s]/g, '-');
  return h === 'hmac-sha256' || h === 'hmacsha256' ? 'hmac-sha256' : 'md5';
}

export function verifyEventSign(
  appKey: string,
  appSecret: string,
  rawBody: Buffer,
  received: string | null | undefined,
  method: SignMethod = 'md5',
): boolean {
  return verifyHexSignature(eventSign(appKey, appSecret, rawBody, method), received);
}
