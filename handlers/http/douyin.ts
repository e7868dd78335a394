/**
 * POST /webhooks/douyin — verify → parse → dedupe → ingest → 200, within the platform's 5 s.
 * Images are not fetched here: the hydrator does it in the worker.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Router } from '@koa/router';
import type { Redis } from 'ioredis';
import { AppError, notFound } from '../../src/core/errors.js';
import { maskId } from '../../src/core/mask.js';
import { receiveDouyinWebhook } from '../../src/channels/douyin/receiver.js';
import type { Services } from '../../src/services.js';
import { readRawBody } from './raw-body.js';

/** Longer than any platform retry horizon; the inbox unique index catches later replays anyway. */
const DEDUPE_TTL_S = 3 * 24 * 3600;
/** A claim left by a crashed process expires quickly, so the platform's next retry can process it. */
const CLAIM_TTL_S = 30;
/** How long a duplicate waits for the first delivery to finish before asking the platform to retry. */
const CLAIM_WAIT_MS = 3000;

export function dedupeKey(prefix: string, channel: string, id: string): string {
  const safe = id.length <= 128 ? id : createHash('sha1').update(id).digest('hex');
  return `${prefix}:dedupe:${channel}:${safe}`;
}

/**
 * Runs `work` once per key. A duplicate that arrives while the first delivery is still working waits for it
 * (so a 200 always means the work is stored), and a failed first delivery releases the key so a retry can
 * do the work. Returns false for a duplicate of finished work.
 */
export async function once(redis: Redis, key: string, work: () => Promise<void>): Promise<boolean> {
  const deadline = Date.now() + CLAIM_WAIT_MS;
  for (;;) {
    if ((await redis.set(key, 'pending', 'EX', CLAIM_TTL_S, 'NX')) !== null) break;
    const state = await redis.get(key);
    if (state === 'done') return false;
    if (state === null) continue;
    if (Date.now() > deadline) {
      throw new AppError('in_progress', 'the same delivery is still being processed', { status: 503 });
    }
    await sleep(50);
  }
  try {
    await work();
  } catch (err) {
    await redis.del(key).catch(() => undefined);
    throw err;
  }
  await redis.set(key, 'done', 'EX', DEDUPE_TTL_S);
  return true;
}

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
    const key = dedupeKey(s.config.queuePrefix, 'douyin', msgIdHeader ?? message.platformMsgId);
    const fresh = await once(s.redis, key, async () => {
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
