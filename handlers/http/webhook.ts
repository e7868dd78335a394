/**
 * The one webhook handler of every platform channel: read (413 over the cap) → verify (401) → parse → claim each
 * event once → ingest the messages (inbox rows) or enqueue the jobs → the platform's own ack. Nothing is answered
 * before every event of the delivery is stored, so a 200 never loses a message; a failed claim is released, so the
 * platform's retry does the work. Rejections are AppErrors whose code the error middleware counts.
 */
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { notFound } from '../../src/core/errors.js';
import { maskId } from '../../src/core/mask.js';
import type { ChannelReceiver, WebhookEvent } from '../../src/channels/types.js';
import { claimKey, claimOnce } from '../../src/queues/claim.js';
import type { Services } from '../../src/services.js';
import { readRawBody } from './raw-body.js';

export interface WebhookHooks {
  /** A platform notice with no job of its own (WeCom group changes for the radar). */
  onNotice?: (fields: Record<string, string>) => void;
}

/**
 * POST `path` through `receiver`; a channel that is not configured (receiver null) answers 404 channel_off.
 */
export function webhookRoute(router: Router, s: Services, path: string, receiver: ChannelReceiver | null, hooks: WebhookHooks = {}): void {
  router.post(path, async (ctx) => {
    if (!receiver) throw notFound('channel_off', `${path} is not configured`);
    await handleDelivery(ctx, s, receiver, hooks);
  });
}

async function handleDelivery(ctx: Context, s: Services, receiver: ChannelReceiver, hooks: WebhookHooks): Promise<void> {
  const raw = await readRawBody(ctx);
  const delivery = { raw, headers: ctx.headers, query: ctx.query, now: s.clock.now() };
  receiver.verify(delivery);
  const events = receiver.parse(delivery);
  const challenge = events.find((e) => e.kind === 'challenge');
  if (challenge) {
    ctx.status = 200;
    ctx.type = challenge.contentType;
    ctx.body = challenge.body;
    return;
  }
  const log = s.log.child({ route: `webhooks/${receiver.name}` });
  for (const event of events) await apply(s, receiver, event, hooks, log);
  ctx.status = receiver.ack.status;
  if (receiver.ack.contentType) ctx.type = receiver.ack.contentType;
  ctx.body = receiver.ack.body;
}

async function apply(s: Services, receiver: ChannelReceiver, event: WebhookEvent, hooks: WebhookHooks, log: Services['log']): Promise<void> {
  switch (event.kind) {
    case 'challenge':
      return;
    case 'notice':
      hooks.onNotice?.(event.fields);
      return;
    case 'ignore':
      log[event.level ?? 'debug'](event.detail ?? {}, event.note);
      return;
    case 'job': {
      const { job } = event;
      const fresh = await claimOnce(
        s.redis,
        claimKey(s.config.queuePrefix, receiver.name, event.claimId),
        () => s.queues.add(job.name, job.data, { jobId: job.jobId }),
        receiver.claimSeconds,
      );
      if (fresh) log.debug({ queue: job.name }, 'webhook job enqueued');
      return;
    }
    case 'message': {
      const { message } = event;
      const fresh = await claimOnce(s.redis, claimKey(s.config.queuePrefix, receiver.name, event.claimId), async () => {
        await s.ingest([message]);
      }, receiver.claimSeconds);
      if (!fresh) {
        s.metrics.messagesIn.inc({ channel: message.channel, result: 'duplicate' });
        return;
      }
      // Recorded like every other message (the inbox keeps them); the log says what was not understood.
      if (message.event?.type === 'unknown') log.info({ event: message.event.data.event }, 'unknown platform event recorded');
      else if (message.kind === 'unknown') log.info({ msgId: maskId(message.platformMsgId) }, 'unknown message type recorded');
      return;
    }
  }
}
