/**
 * POST /webhooks/douyin — Douyin 私信 events through the generic webhook handler: verify → parse → claim per
 * Msg-Id → ingest → empty 200, within the platform's 5 s. The receiver is src/channels/douyin/receiver.ts.
 */
import type { Router } from '@koa/router';
import { createDouyinReceiver } from '../../src/channels/douyin/index.js';
import type { Services } from '../../src/services.js';
import { webhookRoute } from './webhook.js';

export function douyinRoutes(router: Router, s: Services): void {
  const config = s.config.douyin;
  webhookRoute(router, s, '/webhooks/douyin', config ? createDouyinReceiver(config) : null);
}
