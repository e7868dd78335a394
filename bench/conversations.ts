/**
 * One round of WeCom conversations against a running app: `count` new customers each write a first message
 * (paced at `rate` a second, or all at once for a burst), WeCom calls back once per message, the app syncs
 * from the fake and answers through its send endpoint. Latency is per message, from the callback being sent
 * to the fake accepting the first reply to that customer.
 */
import { percentile, until } from './measure.js';
import type { FirstReplies, WecomRig } from './wecom-rig.js';

export interface RoundOptions {
  /** Unique per round, so every customer is new and every message a first message. */
  tag: string;
  count: number;
  /** Messages per second; null sends them all at once. */
  rate: number | null;
  timeoutMs: number;
}

export interface RoundResult {
  sent: number;
  answered: number;
  latenciesMs: number[];
  /** Answered messages per second, from the first callback to the last first reply. */
  answeredPerSecond: number;
  /** Callbacks WeCom would count as failed after all its retries. */
  unacked: number;
  /** Sends the fake refused (outside the window, over the cap, a reused msgid, …). */
  refused: number;
  /** The refusals by the fake's reason and WeCom errcode, e.g. `duplicate_msgid 95036: 3`. */
  refusedWhy: string;
}

export async function converse(rig: WecomRig, replies: FirstReplies, opts: RoundOptions): Promise<RoundResult> {
  const refusedBefore = rig.fake.refusals.length;
  const writtenAt = new Map<string, number>();
  const deliveries: Promise<{ acked: boolean }>[] = [];
  const start = Date.now();
  for (let i = 0; i < opts.count; i++) {
    if (opts.rate !== null) await until(start + (i * 1000) / opts.rate);
    const userId = `wmbench${opts.tag}x${i}`;
    const { at, delivered } = rig.customerWrites(userId, i);
    writtenAt.set(userId, at);
    deliveries.push(delivered);
  }
  const users = [...writtenAt.keys()];
  await replies.waitFor(users, opts.timeoutMs);
  const acks = await Promise.all(deliveries);

  const latenciesMs: number[] = [];
  let last = start;
  for (const [userId, at] of writtenAt) {
    const replied = replies.at(userId);
    if (replied === undefined) continue;
    latenciesMs.push(replied - at);
    last = Math.max(last, replied);
  }
  const answered = latenciesMs.length;
  return {
    sent: users.length,
    answered,
    latenciesMs,
    answeredPerSecond: answered / (Math.max(1, last - start) / 1000),
    unacked: acks.filter((a) => !a.acked).length,
    refused: rig.fake.refusals.length - refusedBefore,
    refusedWhy: countBy(rig.fake.refusals.slice(refusedBefore).map((r) => `${r.reason} ${r.errcode}`)),
  };
}

export function describeRound(r: RoundResult): string {
  const lat = r.latenciesMs;
  const p = (q: number): string => (lat.length > 0 ? `${percentile(lat, q)}` : '–');
  return (
    `${r.answered}/${r.sent} answered, ${r.answeredPerSecond.toFixed(1)} answered/s, latency p50 ${p(50)} ms p95 ${p(95)} ms max ${p(100)} ms, ` +
    `unacked callbacks ${r.unacked}, refused sends ${r.refused}${r.refused > 0 ? ` (${r.refusedWhy})` : ''}`
  );
}

function countBy(keys: string[]): string {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}: ${n}`).join(', ');
}
