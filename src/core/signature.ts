/**
 * Constant-time comparison of hex signatures, for every webhook that signs its body (WeCom msg_signature,
 * Douyin X-Douyin-Signature, 抖店 event-sign). Pure: no I/O, never throws.
 */
import { timingSafeEqual } from 'node:crypto';

const HEX = /^[0-9a-f]+$/;

/**
 * True when `received` is the hex digest `expectedHex`. Hex is compared case-insensitively (the Douyin SKIT SDK
 * and WeCom's samples do), surrounding whitespace is ignored, and the length is checked first because
 * timingSafeEqual throws on unequal lengths (which would be a 500 instead of a 401).
 */
export function verifyHexSignature(expectedHex: string, received: string | undefined | null): boolean {
  if (!received) return false;
  const got = received.trim().toLowerCase();
  if (got.length !== expectedHex.length || !HEX.test(got)) return false;
  return timingSafeEqual(Buffer.from(got, 'ascii'), Buffer.from(expectedHex.toLowerCase(), 'ascii'));
}
