/**
 * Douyin webhook signature (Douyin open platform 企业号私信 docs, developer.open-douyin.com): `X-Douyin-Signature = hex(sha1(client_secret ‖ raw_body))`.
 * Pure functions over the raw bytes; there is no timestamp in the scheme, so Msg-Id dedupe is the only
 * replay defence.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function douyinSignature(clientSecret: string, rawBody: Buffer): string {
  return createHash('sha1').update(clientSecret, 'utf8').update(rawBody).digest('hex');
}

/**
 * Constant-time check of a hex signature. Hex is compared case-insensitively (the SKIT SDK does), the
 * length is checked first because timingSafeEqual throws on unequal lengths (a 500 instead of a 401).
 */
export function verifyHexSignature(expectedHex: string, received: string | undefined | null): boolean {
  if (!received) return false;
  const got = received.trim().toLowerCase();
  if (got.length !== expectedHex.length || !/^[0-9a-f]+$/.test(got)) return false;
  return timingSafeEqual(Buffer.from(got, 'ascii'), Buffer.from(expectedHex.toLowerCase(), 'ascii'));
}

export function verifyDouyinSignature(clientSecret: string, rawBody: Buffer, header: string | undefined | null): boolean {
  return verifyHexSignature(douyinSignature(clientSecret, rawBody), header);
}
