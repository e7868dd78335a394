import type { Channel } from '../core/types.js';

/**
 * How long a fresh inbox row waits before it is applied, so that an earlier-sent message delivered late is
 * applied first. WeCom 微信客服 needs no wait: its messages are pulled with `kf/sync_msg` from a cursor that
 * returns them in the order WeCom stored them (https://developer.work.weixin.qq.com/document/path/94670), and one
 * sync job per account ingests each page in that order (the customer messages of one page are then one turn,
 * ./turn.ts). Douyin webhooks and the web simulator arrive on
 * concurrent requests and may overtake each other, so they keep the configured tolerance (INBOX_SETTLE_MS).
 */
export function settleMsFor(channel: Channel, settleMs: number): number {
  return channel === 'wecom' ? 0 : settleMs;
}
