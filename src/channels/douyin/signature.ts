/**
 * Douyin webhook signature (Douyin open platform 企业号私信 docs, developer.open-douyin.com): `X-Douyin-Signature = hex(sha1(client_secret ‖ raw_body))`.
 * Pure functions over the raw bytes; there is no timestamp in the scheme, so Msg-Id dedupe is the only
 * replay defence.
 */
import { createHash } from 'node:crypto';
import { verifyHexSignature } from '../../core/signature.js';

export function douyinSignature(clientSecret: string, rawBody: Buffer): string {
  return createHash('sha1').update(clientSecret, 'utf8').update(rawBody).digest('hex');
}

export function verifyDouyinSignature(clientSecret: string, rawBody: Buffer, header: string | undefined | null): boolean {
  return verifyHexSignature(douyinSignature(clientSecret, rawBody), header);
}
