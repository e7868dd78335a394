/**
 * The cases of an improvement item, gathered by its key (category, product or carrier) with the dashboard's own
 * stats queries: from 4 weeks before the item was opened until now, so the manager sees what led to it and what
 * kept coming. Nothing is stored per case; a new case with the same key is linked the moment it exists.
 */
import type { CaseCategory } from '../core/types.js';
import { exampleOf, type SpikeExample } from '../analytics/spikes.js';
import { startOfLocalDay, WEEK_MS } from '../analytics/period.js';
import type { ImprovementItem, StatsFilter, Store } from '../store/types.js';

export const LINK_LOOKBACK_WEEKS = 4;

/** The stats filter that narrows cases created in [from, to) to the item's key. */
export function keyFilter(item: Pick<ImprovementItem, 'dimension' | 'key'>, from: number, to: number): StatsFilter {
  const base = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  if (item.dimension === 'category') return { ...base, category: item.key as CaseCategory };
  return item.dimension === 'product' ? { ...base, product: item.key } : { ...base, carrier: item.key };
}

/**
 * From 4 weeks before the day the item was opened to now. The store stamps createdAt with the wall clock while
 * the app may run on another clock (a demo's or a test's): an item is never opened later than "now".
 */
export function linkWindow(item: Pick<ImprovementItem, 'createdAt'>, now: number): { from: number; to: number } {
  const opened = Math.min(Date.parse(item.createdAt), now);
  return { from: startOfLocalDay(opened) - LINK_LOOKBACK_WEEKS * WEEK_MS, to: now + 1 };
}

export async function countLinked(store: Store, item: ImprovementItem, now: number): Promise<number> {
  const w = linkWindow(item, now);
  const [bucket] = await store.caseStats({ ...keyFilter(item, w.from, w.to), countOnly: true });
  return bucket?.cases ?? 0;
}

/** The newest linked cases, descriptions masked. */
export async function linkedCases(store: Store, item: ImprovementItem, now: number, limit = 20): Promise<SpikeExample[]> {
  const w = linkWindow(item, now);
  return (await store.listStatsCases({ ...keyFilter(item, w.from, w.to), limit })).map(exampleOf);
}
