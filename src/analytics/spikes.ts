/**
 * Improvement signals (持续改进): a category, product or carrier whose complaints in the last 7 days clearly
 * exceed its own recent baseline — the mean of the 4 weeks before — so the shop can act on a supplier, a
 * carrier or what the live room promised. "Clearly": at least `minCases` this week and at least `ratio` times
 * the baseline (a value with no history counts as new). Examples are the newest descriptions, masked.
 */
import { maskedExcerpt } from '../core/mask.js';
import type { Case, Channel } from '../core/types.js';
import type { StatsDimension, StatsFilter, Store } from '../store/types.js';
import type { Labels } from './labels.js';
import { round } from './metrics.js';
import { localDay, WEEK_MS } from './period.js';

export type SpikeDimension = Extract<StatsDimension, 'category' | 'product' | 'carrier'>;
export const SPIKE_DIMENSIONS: readonly SpikeDimension[] = ['category', 'product', 'carrier'];

export interface SpikeRule {
  /** This week ≥ ratio × baseline mean. */
  ratio: number;
  /** And this week ≥ minCases. */
  minCases: number;
  baselineWeeks: number;
}

export const DEFAULT_RULE: SpikeRule = { ratio: 2, minCases: 5, baselineWeeks: 4 };

export interface SpikeExample {
  caseId: string;
  at: string;
  channel: Channel;
  customerId: string;
  orderId: string | null;
  /** The customer's description, masked. */
  text: string;
}

export interface Spike {
  dimension: SpikeDimension;
  key: string;
  label: string;
  dimensionLabel: string;
  thisWeek: number;
  /** Mean cases per week over the baseline weeks. */
  baseline: number;
  /** Oldest first. */
  baselineWeeks: number[];
  /** thisWeek / baseline; null when the baseline is 0 (new). */
  ratio: number | null;
  examples: SpikeExample[];
}

export interface SpikeReport {
  /** The 7 days ending at `to`. */
  week: { from: string; to: string; fromDay: string; toDay: string };
  baseline: { from: string; to: string; weeks: number };
  rule: SpikeRule;
  channel: Channel | null;
  spikes: Spike[];
}

export interface SpikeOptions {
  /** End of the week examined (exclusive); the dashboard uses now, the weekly digest Monday 00:00. */
  asOf: number;
  channel?: Channel;
  rule?: SpikeRule;
  examples?: number;
}

export function exampleOf(c: Case): SpikeExample {
  return {
    caseId: c.id,
    at: c.createdAt,
    channel: c.channel,
    customerId: c.customerId,
    orderId: c.orderId,
    text: maskedExcerpt(c.description ?? '', 120),
  };
}

export async function detectSpikes(store: Store, labels: Labels, opts: SpikeOptions): Promise<SpikeReport> {
  const rule = opts.rule ?? DEFAULT_RULE;
  const weeks = rule.baselineWeeks + 1;
  const from = opts.asOf - weeks * WEEK_MS;
  const weekFrom = opts.asOf - WEEK_MS;
  const base: StatsFilter = {
    from: new Date(from).toISOString(),
    to: new Date(opts.asOf).toISOString(),
    ...(opts.channel ? { channel: opts.channel } : {}),
  };
  // One scan for all three dimensions, counts only; each dimension is a roll-up of it.
  const buckets = await store.caseStats({ ...base, groupBy: ['week', ...SPIKE_DIMENSIONS], countOnly: true });
  const spikes: Spike[] = [];
  for (const dimension of SPIKE_DIMENSIONS) {
    const perKey = new Map<string, number[]>();
    for (const b of buckets) {
      const key = b.key[dimension];
      const week = b.key.week ?? -1;
      if (key === null || key === undefined || key === '' || week < 0 || week >= weeks) continue;
      const counts = perKey.get(key) ?? new Array<number>(weeks).fill(0);
      counts[week] = (counts[week] ?? 0) + b.cases;
      perKey.set(key, counts);
    }
    for (const [key, counts] of perKey) {
      const thisWeek = counts[weeks - 1] ?? 0;
      const history = counts.slice(0, weeks - 1);
      const baseline = history.reduce((a, b) => a + b, 0) / history.length;
      if (thisWeek < rule.minCases || thisWeek < rule.ratio * baseline || thisWeek <= baseline) continue;
      spikes.push({
        dimension,
        key,
        label: labels.value(dimension, key),
        dimensionLabel: labels.dimension(dimension),
        thisWeek,
        baseline: round(baseline, 2),
        baselineWeeks: history,
        ratio: baseline > 0 ? round(thisWeek / baseline, 1) : null,
        examples: [],
      });
    }
  }
  // The biggest excess over the baseline first: that is where most complaints come from.
  spikes.sort((a, b) => b.thisWeek - b.baseline - (a.thisWeek - a.baseline) || a.label.localeCompare(b.label, 'zh-CN'));
  const weekFilter: StatsFilter = { ...base, from: new Date(weekFrom).toISOString() };
  for (const s of spikes) {
    const narrowed: StatsFilter =
      s.dimension === 'category'
        ? { ...weekFilter, category: s.key as NonNullable<StatsFilter['category']> }
        : s.dimension === 'product'
          ? { ...weekFilter, product: s.key }
          : { ...weekFilter, carrier: s.key };
    const cases = await store.listStatsCases({ ...narrowed, limit: opts.examples ?? 3 });
    s.examples = cases.map(exampleOf);
  }
  return {
    week: { from: weekFilter.from, to: weekFilter.to, fromDay: localDay(weekFrom), toDay: localDay(opts.asOf - 1) },
    baseline: { from: base.from, to: weekFilter.from, weeks: rule.baselineWeeks },
    rule,
    channel: opts.channel ?? null,
    spikes,
  };
}
