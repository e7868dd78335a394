/**
 * A flood of identical risky messages from new visitors raises one grouped alert instead of one per message, so
 * the managers' WeCom budget (20 robot messages a minute) is not spent on spam while a real alert waits behind it.
 *
 * The first such message in a window alerts as usual; from the second new visitor sending the same words (after
 * folding case, spaces and punctuation) within {@link FLOOD_WINDOW_MS}, the messages are counted in Redis and one
 * grouped alert per words and window is raised. Known customers (older than {@link NEW_VISITOR_MS}) always alert
 * one by one. Every case is still created and queued for people; only the alerting is grouped.
 */
import { createHash } from 'node:crypto';
import type { Services } from '../services.js';
import type { Customer } from '../store/types.js';
import { renderTemplate } from '../../templates/render.js';
import { raiseAlert } from './index.js';
import { alertExcerpt } from './mask.js';

export const FLOOD_WINDOW_MS = 10 * 60_000;
export const NEW_VISITOR_MS = 24 * 3600_000;

const fold = (words: string): string => words.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');

/** 'single': alert this message on its own. 'grouped': it is part of a flood, counted in one grouped alert. */
export async function groupRiskFlood(
  s: Pick<Services, 'store' | 'queues' | 'log' | 'clock' | 'config' | 'redis' | 'data'>,
  input: { customer: Customer | null; words: string | null; channel: string },
): Promise<'single' | 'grouped'> {
  const { customer, words } = input;
  const now = s.clock.now();
  if (!customer || !words || now - Date.parse(customer.createdAt) > NEW_VISITOR_MS) return 'single';
  const folded = fold(words);
  if (!folded) return 'single';
  const fingerprint = createHash('sha256').update(folded).digest('hex').slice(0, 16);
  const window = Math.floor(now / FLOOD_WINDOW_MS);
  const key = `${s.config.queuePrefix}:alerts:risk-flood:${fingerprint}:${window}`;
  // One transaction: each visitor sees the count including itself, so exactly one of them is the first.
  const replies = (await s.redis.multi().sadd(key, customer.id).pexpire(key, FLOOD_WINDOW_MS * 2).scard(key).exec()) ?? [];
  const seen = Number(replies[0]?.[1] ?? 0);
  const count = Number(replies[2]?.[1] ?? 0);
  if (count < 2) return 'single';
  if (seen === 0) return 'grouped'; // the same visitor again: already counted
  const t = s.data.templates;
  await raiseAlert(s, {
    key: `risk_flood:${fingerprint}:${window}`,
    kind: 'risk',
    level: 'critical',
    title: renderTemplate(t, 'alerts.risk_flood.title'),
    text: renderTemplate(t, 'alerts.risk_flood.text', { minutes: FLOOD_WINDOW_MS / 60_000, count, channel: input.channel, excerpt: alertExcerpt(words, 120) }),
    data: { grouped: true, channel: input.channel },
  });
  return 'grouped';
}
