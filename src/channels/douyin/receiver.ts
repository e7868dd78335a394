/**
 * Douyin webhook receiver: verify the signature over the raw bytes, then parse into events for the generic
 * webhook handler (handlers/http/webhook.ts), which claims, ingests and answers an empty 200 within the
 * platform's 5 s. Pure (no I/O). Images are not fetched here: the hydrator does it in the worker.
 */
import type { DouyinConfig } from '../../../config/load-config.js';
import { unauthorized } from '../../core/errors.js';
import { maskId } from '../../core/mask.js';
import { headerOf, type ChannelReceiver, type WebhookDelivery, type WebhookEvent } from '../types.js';
import { bodyDigest, mapEvent, parseEnvelope } from './events.js';
import { verifyDouyinSignature } from './signature.js';

type ReceiverConfig = Pick<DouyinConfig, 'clientKey' | 'clientSecret' | 'businessOpenId'>;

const SIGNATURE_HEADER = 'x-douyin-signature';
const MSG_ID_HEADER = 'msg-id';

export function verifyDouyinWebhook(config: ReceiverConfig, delivery: WebhookDelivery): void {
  const signature = headerOf(delivery, SIGNATURE_HEADER);
  if (signature) {
    if (!verifyDouyinSignature(config.clientSecret, delivery.raw, signature)) {
      throw unauthorized('bad_signature', 'X-Douyin-Signature does not match');
    }
    return;
  }
  // UNCONFIRMED whether the platform signs the verify_webhook request itself. Answering an unsigned
  // challenge only echoes the number back, so it is allowed; every other unsigned body is refused.
  if (parseEnvelope(delivery.raw).event !== 'verify_webhook') throw unauthorized('missing_signature', 'X-Douyin-Signature missing');
}

export function parseDouyinWebhook(config: ReceiverConfig, delivery: WebhookDelivery): WebhookEvent[] {
  const msgIdHeader = headerOf(delivery, MSG_ID_HEADER);
  const signed = headerOf(delivery, SIGNATURE_HEADER) !== null;
  const event = mapEvent(parseEnvelope(delivery.raw), {
    msgIdHeader,
    clientKey: config.clientKey,
    businessOpenId: config.businessOpenId,
    now: delivery.now,
    bodyDigest: signed ? bodyDigest(delivery.raw) : '',
  });
  if (event.type === 'verify') return [{ kind: 'challenge', contentType: 'application/json', body: JSON.stringify({ challenge: event.challenge }) }];
  if (event.type === 'echo') return [{ kind: 'ignore', note: 'own send echoed back; ignored', detail: { msgId: maskId(event.platformMsgId) } }];
  // The Msg-Id header names the delivery (its retries repeat it); the message id is the fallback.
  return [{ kind: 'message', claimId: msgIdHeader ?? event.message.platformMsgId, message: event.message }];
}

/** The Douyin receiver: an empty 200 acknowledges a stored delivery. */
export function createDouyinReceiver(config: ReceiverConfig): ChannelReceiver {
  return {
    name: 'douyin',
    verify: (delivery) => verifyDouyinWebhook(config, delivery),
    parse: (delivery) => parseDouyinWebhook(config, delivery),
    ack: { status: 200, body: '' },
  };
}
