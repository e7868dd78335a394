/**
 * The 抖店 push receiver for the generic webhook handler: verify app-id + event-sign, parse the items, one
 * 'doudian-event' job per item (claimed once per msg_id), and the answer the platform expects within 5 s,
 * `{"code":0,"msg":"success"}` (official Go SDK, zsmhub/doudian-sdk message/doudian_message.go). Pure.
 */
import type { DoudianConfig } from '../../../config/load-config.js';
import { headerOf, type ChannelReceiver, type WebhookDelivery, type WebhookEvent } from '../types.js';
import { parseDoudianPush, safeId, verifyDoudianPush } from './push.js';
import { TAG_PING } from './tags.js';

const SUCCESS = JSON.stringify({ code: 0, msg: 'success' });

const pushHeaders = (d: WebhookDelivery) => ({ appId: headerOf(d, 'app-id'), eventSign: headerOf(d, 'event-sign'), signMethod: headerOf(d, 'sign-method') });

export function createDoudianReceiver(config: Pick<DoudianConfig, 'appKey' | 'appSecret'>): ChannelReceiver {
  return {
    name: 'doudian',
    verify: (delivery) => verifyDoudianPush(delivery.raw, pushHeaders(delivery), config),
    parse: (delivery) =>
      parseDoudianPush(delivery.raw).map((item): WebhookEvent => {
        if (item.tag === TAG_PING) return { kind: 'ignore', note: 'doudian ping acknowledged' };
        const id = safeId(item.msgId);
        return { kind: 'job', claimId: id, job: { name: 'doudian-event', data: { msgId: item.msgId, tag: item.tag, data: item.data }, jobId: `doudian-${id}` } };
      }),
    ack: { status: 200, contentType: 'application/json', body: SUCCESS },
  };
}
