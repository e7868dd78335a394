/**
 * POST /webhooks/doudian — 抖店 pushes: verify event-sign → parse → dedupe → enqueue → {"code":0}.
 * The platform wants the answer within 5 s, so cases are updated by the 'doudian-event' worker.
 */
import type { Router } from '@koa/router';
import { notFound } from '../../src/core/errors.js';
import { receiveDoudianPush, safeId } from '../../src/channels/doudian/push.js';
import { TAG_PING } from '../../src/channels/doudian/tags.js';
import { claimKey, claimOnce } from '../../src/queues/claim.js';
import type { Services } from '../../src/services.js';
import { readRawBody } from './raw-body.js';

const SUCCESS = JSON.stringify({ code: 0, msg: 'success' });

export function doudianRoutes(router: Router, s: Services): void {
  const log = s.log.child({ route: 'webhooks/doudian' });

  router.post('/webhooks/doudian', async (ctx) => {
    const config = s.config.doudian;
    if (!config) throw notFound('channel_off', '抖店 is not configured');
    const raw = await readRawBody(ctx);
    const items = receiveDoudianPush(
      raw,
      { appId: ctx.get('app-id') || null, eventSign: ctx.get('event-sign') || null, signMethod: ctx.get('sign-method') || null },
      config,
    );

    for (const item of items) {
      if (item.tag === TAG_PING) continue;
      const id = safeId(item.msgId);
      const fresh = await claimOnce(s.redis, claimKey(s.config.queuePrefix, 'doudian', id), () =>
        s.queues.add('doudian-event', { msgId: item.msgId, tag: item.tag, data: item.data }, { jobId: `doudian-${id}` }),
      );
      if (fresh) log.debug({ tag: item.tag }, 'doudian push enqueued');
    }
    ctx.status = 200;
    ctx.type = 'application/json';
    ctx.body = SUCCESS;
  });
}
