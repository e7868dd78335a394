/**
 * POST /webhooks/doudian — 抖店 pushes through the generic webhook handler: verify event-sign → parse → claim per
 * msg_id → enqueue → {"code":0}. The platform wants the answer within 5 s, so cases are updated by the
 * 'doudian-event' worker. The receiver is src/channels/doudian/receiver.ts.
 */
import type { Router } from '@koa/router';
import { createDoudianReceiver } from '../../src/channels/doudian/index.js';
import type { Services } from '../../src/services.js';
import { webhookRoute } from './webhook.js';

export function doudianRoutes(router: Router, s: Services): void {
  const config = s.config.doudian;
  webhookRoute(router, s, '/webhooks/doudian', config ? createDoudianReceiver(config) : null);
}
