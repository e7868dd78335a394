/**
 * Did the fix work? For an item marked done, the complaint rate of its key — its cases as a share of all cases,
 * from the same stats the dashboard uses — in the whole weeks before the done day against the whole weeks after
 * it. With fewer than MIN_AFTER_WEEKS whole weeks after, the answer is "数据不足", not a guess.
 */
import type { Labels } from '../analytics/labels.js';
import { round } from '../analytics/metrics.js';
import { localDay, startOfLocalDay, WEEK_MS } from '../analytics/period.js';
import type { ImprovementItem, Store } from '../store/types.js';

export const EFFECT_WEEKS = 4;
export const MIN_AFTER_WEEKS = 2;

export interface EffectSide {
  fromDay: string;
  toDay: string;
  weeks: number;
  /** Cases with the item's key. */
  cases: number;
  /** All cases of the same weeks. */
  total: number;
  /** cases / total; null when there were no cases at all. */
  rate: number | null;
  /** Key cases per week, oldest first. */
  series: number[];
}

export interface Effect {
  doneDay: string;
  before: EffectSide;
  /** Null while fewer than MIN_AFTER_WEEKS whole weeks have passed since the done day. */
  after: EffectSide | null;
  afterWeeksSoFar: number;
  /** after.rate − before.rate, in percentage points; null without both rates. */
  changePoints: number | null;
  text: string;
}

function side(start: number, weeks: number, key: number[], all: number[], offset: number): EffectSide {
  const series = key.slice(offset, offset + weeks);
  const cases = series.reduce((a, b) => a + b, 0);
  const total = all.slice(offset, offset + weeks).reduce((a, b) => a + b, 0);
  return {
    fromDay: localDay(start),
    toDay: localDay(start + weeks * WEEK_MS - 1),
    weeks,
    cases,
    total,
    rate: total > 0 ? round(cases / total, 4) : null,
    series,
  };
}

/** Null for an item never marked done. */
export async function measureEffect(store: Store, labels: Labels, item: ImprovementItem, now: number): Promise<Effect | null> {
  if (!item.doneAt) return null;
  const boundary = startOfLocalDay(Date.parse(item.doneAt));
  const afterWeeksSoFar = Math.max(0, Math.floor((startOfLocalDay(now) - boundary) / WEEK_MS));
  const afterWeeks = Math.min(EFFECT_WEEKS, afterWeeksSoFar);
  const from = boundary - EFFECT_WEEKS * WEEK_MS;
  const to = boundary + afterWeeks * WEEK_MS;
  // One count-only scan of every case of the window, by week and by the item's dimension.
  const buckets = await store.caseStats({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), groupBy: ['week', item.dimension], countOnly: true });
  const weeks = EFFECT_WEEKS + afterWeeks;
  const key = new Array<number>(weeks).fill(0);
  const all = new Array<number>(weeks).fill(0);
  for (const b of buckets) {
    const w = b.key.week ?? -1;
    if (w < 0 || w >= weeks) continue;
    all[w] = (all[w] ?? 0) + b.cases;
    if (b.key[item.dimension] === item.key) key[w] = (key[w] ?? 0) + b.cases;
  }
  const before = side(from, EFFECT_WEEKS, key, all, 0);
  const after = afterWeeks >= MIN_AFTER_WEEKS ? side(boundary, afterWeeks, key, all, EFFECT_WEEKS) : null;
  const changePoints = after && after.rate !== null && before.rate !== null ? round((after.rate - before.rate) * 100, 1) : null;
  return { doneDay: localDay(boundary), before, after, afterWeeksSoFar, changePoints, text: effectText(labels, before, after, changePoints, afterWeeksSoFar) };
}

const pct = (labels: Labels, x: number | null): string => (x === null ? labels.text('unit.na') : `${round(x * 100, 1)}%`);

function effectText(labels: Labels, before: EffectSide, after: EffectSide | null, changePoints: number | null, soFar: number): string {
  const b = { beforeWeeks: before.weeks, beforeCases: before.cases, beforeRate: pct(labels, before.rate), beforeSeries: before.series.join('/') };
  if (!after) {
    return `${labels.text('improve.effect.before_only', b)}；${labels.text('improve.effect.insufficient', { min: MIN_AFTER_WEEKS, weeks: soFar })}`;
  }
  const change =
    changePoints === null
      ? labels.text('unit.na')
      : Math.abs(changePoints) < 0.5
        ? labels.text('improve.effect.flat')
        : labels.text(changePoints < 0 ? 'improve.effect.down' : 'improve.effect.up', { points: Math.abs(changePoints) });
  return labels.text('improve.effect.text', {
    ...b,
    afterWeeks: after.weeks,
    afterCases: after.cases,
    afterRate: pct(labels, after.rate),
    afterSeries: after.series.join('/'),
    change,
  });
}
