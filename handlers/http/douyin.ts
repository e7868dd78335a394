/**
 * POST /webhooks/douyin — verify → parse → dedupe → ingest → 200, within the platform's 5 s.
 * Images are not fetched here: the hydrator does it in the worker.
 */
import type { Router } from '@koa/router';
import { notFound } from '../../src/core/errors.js';
import { maskId } from '../../src/core/mask.js';
import { receiveDouyinWebhook } from '../../src/channels/douyin/receiver.js';
import { claimKey, claimOnce } from '../../src/queues/claim.js';
import type { Services } from '../../src/services.js';
import { readRawBody } from './raw-body.js';

export function douyinRoutes(router: Router, s: Services): void {
  const log = s.log.child({ route: 'webhooks/douyin' });

  router.post('/webhooks/douyin', async (ctx) => {
    const config = s.config.douyin;
    if (!config) throw notFound('channel_off', 'Douyin channel is not configured');
    const raw = await readRawBody(ctx);
    const msgIdHeader = ctx.get('msg-id') || null;
    const event = receiveDouyinWebhook(
      raw,
      { signature: ctx.get('x-douyin-signature') || null, msgId: msgIdHeader },
      config,
      s.clock.now(),
    );

    if (event.type === 'verify') {
      ctx.status = 200;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ challenge: event.challenge });
      return;
    }
    ctx.status = 200;
    ctx.body = '';
    if (event.type === 'echo') {
      log.debug({ msgId: maskId(event.platformMsgId) }, 'own send echoed back; ignored');
      return;
    }

    const message = event.message;
    // The Redis key only saves work; the inbox unique index on (channel, platformMsgId) is the real dedupe.
    const key = claimKey(s.config.queuePrefix, 'douyin', msgIdHeader ?? message.platformMsgId);
    const fresh = await claimOnce(s.redis, key, async () => {
      await s.ingest([message]);
    });
    if (!fresh) {
      s.metrics.messagesIn.inc({ channel: 'douyin', result: 'duplicate' });
      return;
    }
    if (message.event?.type === 'unknown') {
      log.info({ event: message.event.data.event }, 'unknown douyin event recorded');
    } else if (message.kind === 'unknown') {
      log.info({ msgId: maskId(message.platformMsgId) }, 'unknown douyin message type recorded');
    }
  });
}
