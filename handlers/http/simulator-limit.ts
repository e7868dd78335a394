/**
 * Posts to the simulator are counted per visitor and per client address in fixed one-minute windows in Redis
 * (shared by every web process). Over either limit: 429 with Retry-After and nothing is ingested.
 */
import { createHash } from 'node:crypto';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';
import { AppError } from '../../src/core/errors.js';
import type { Services } from '../../src/services.js';

const WINDOW_SECONDS = 60;

export class TooManyMessages extends AppError {
  constructor(book: TemplateBook, readonly retryAfterSeconds: number) {
    super('too_many_messages', renderTemplate(book, 'simulator.too_many_messages', { seconds: retryAfterSeconds }), { status: 429 });
  }
}

const h = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 24);

/**
 * Both windows in one script (one Redis command per post instead of a MULTI of eight): each key is counted, given
 * its window on first use (EXPIRE NX also heals a key left without one), and the answer is the longest wait among
 * the windows that are over their limit, 0 when the post may pass. Atomic, as the MULTI was.
 */
const COUNT_POST = `local wait = 0
for i = 1, #KEYS do
  local n = redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[#KEYS + 1], 'NX')
  if n > tonumber(ARGV[i]) then
    local ttl = redis.call('TTL', KEYS[i])
    if ttl < 1 then ttl = 1 end
    if ttl > wait then wait = ttl end
  end
end
return wait`;

/** Counts one post; throws TooManyMessages when the visitor or the address is over its per-minute limit. */
export async function takePostSlot(s: Pick<Services, 'redis' | 'config' | 'data'>, visitorId: string, address: string): Promise<void> {
  const prefix = `${s.config.queuePrefix}:simulator:posts`;
  const { postsPerVisitorPerMinute, postsPerAddressPerMinute } = s.config.simulator;
  const wait = await s.redis.eval(
    COUNT_POST,
    2,
    `${prefix}:visitor:${h(visitorId)}`,
    `${prefix}:address:${h(address)}`,
    postsPerVisitorPerMinute,
    postsPerAddressPerMinute,
    WINDOW_SECONDS,
  );
  if (Number(wait) > 0) throw new TooManyMessages(s.data.templates, Number(wait));
}
