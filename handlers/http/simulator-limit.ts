/**
 * Posts to the simulator are counted per visitor and per client address in fixed one-minute windows in Redis
 * (shared by every web process). Over either limit: 429 with Retry-After and nothing is ingested.
 */
import { createHash } from 'node:crypto';
import { renderTemplate, sharedTemplates } from '../../templates/render.js';
import { AppError } from '../../src/core/errors.js';
import type { Services } from '../../src/services.js';

const WINDOW_SECONDS = 60;

export class TooManyMessages extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('too_many_messages', renderTemplate(sharedTemplates(), 'simulator.too_many_messages', { seconds: retryAfterSeconds }), { status: 429 });
  }
}

const h = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 24);

/** Counts one post; throws TooManyMessages when the visitor or the address is over its per-minute limit. */
export async function takePostSlot(s: Pick<Services, 'redis' | 'config'>, visitorId: string, address: string): Promise<void> {
  const prefix = `${s.config.queuePrefix}:simulator:posts`;
  const limits = [
    { key: `${prefix}:visitor:${h(visitorId)}`, max: s.config.simulator.postsPerVisitorPerMinute },
    { key: `${prefix}:address:${h(address)}`, max: s.config.simulator.postsPerAddressPerMinute },
  ];
  let tx = s.redis.multi();
  for (const l of limits) tx = tx.incr(l.key).expire(l.key, WINDOW_SECONDS, 'NX').ttl(l.key);
  const res = (await tx.exec()) ?? [];
  const waits = limits.flatMap((l, i) => {
    const count = Number(res[i * 3]?.[1] ?? 0);
    const ttl = Number(res[i * 3 + 2]?.[1] ?? WINDOW_SECONDS);
    return count > l.max ? [Math.max(1, ttl)] : [];
  });
  if (waits.length > 0) throw new TooManyMessages(Math.max(...waits));
}
