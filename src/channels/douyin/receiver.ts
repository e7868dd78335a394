/**
 * Douyin webhook receiver: verify the signature over the raw bytes, then parse into one MappedEvent.
 * Pure (no I/O): the HTTP edge (handlers/http/douyin.ts) does dedupe, ingest and the answer.
 */
import type { DouyinConfig } from '../../../config/load-config.js';
import { unauthorized } from '../../core/errors.js';
import { bodyDigest, mapEvent, parseEnvelope, type MappedEvent } from './events.js';
import { verifyDouyinSignature } from './signature.js';

export interface WebhookHeaders {
  signature: string | null;
  msgId: string | null;
}

export function receiveDouyinWebhook(
  raw: Buffer,
  headers: WebhookHeaders,
  config: Pick<DouyinConfig, 'clientKey' | 'clientSecret' | 'businessOpenId'>,
  now: number,
): MappedEvent {
  if (headers.signature) {
    if (!verifyDouyinSignature(config.clientSecret, raw, headers.signature)) {
      throw unauthorized('bad_signature', 'X-Douyin-Signature does not match');
    }
    const env = parseEnvelope(raw);
    return mapEvent(env, {
      msgIdHeader: headers.msgId,
      clientKey: config.clientKey,
      businessOpenId: config.businessOpenId,
      now,
      bodyDigest: bodyDigest(raw),
    });
  }
  // UNCONFIRMED whether the platform signs the verify_webhook request itself. Answering an unsigned
  // challenge only echoes the number back, so it is allowed; every other unsigned body is refused.
  const env = parseEnvelope(raw);
  if (env.event !== 'verify_webhook') throw unauthorized('missing_signature', 'X-Douyin-Signature missing');
  return mapEvent(env, {
    msgIdHeader: headers.msgId,
    clientKey: config.clientKey,
    businessOpenId: config.businessOpenId,
    now,
    bodyDigest: '',
  });
}
