/**
 * The dashboard's numbers for one period and filter: two store queries (cases grouped by category × channel ×
 * product, and by day), rolled up here into the KPI tiles and the four tables.
 */
import type { StatsDimension, Store } from '../store/types.js';
import type { Labels } from './labels.js';
import { emptyCounts, metricsOf, rollup, sumBuckets, type Counts, type Metrics } from './metrics.js';
import { daysBetween, SHOP_TZ_MINUTES, type Period } from './period.js';

export interface Row extends Metrics {
  /** The raw value (category code, channel, product name, day); null when the cases do not say. */
  key: string | null;
  label: string;
}

export type TableName = 'category' | 'channel' | 'product' | 'day';
export const TABLES: readonly TableName[] = ['category', 'channel', 'product', 'day'];

export interface Dashboard {
  period: Period;
  kpi: Metrics;
  tables: Record<TableName, Row[]>;
  /** Time the store queries took, for the page footer and the benchmark. */
  queryMs: number;
}

function rowsOf(grouped: Map<string | number | null, Counts>, dim: StatsDimension, total: number, labels: Labels): Row[] {
  return [...grouped.entries()].map(([k, c]) => ({
    key: k === null ? null : String(k),
    label: labels.value(dim, k),
    ...metricsOf(c, total),
  }));
}

/** Most cases first; ties by label so exports are stable. */
const byCases = (a: Row, b: Row): number => b.cases - a.cases || a.label.localeCompare(b.label, 'zh-CN');

export async function loadDashboard(store: Store, period: Period, labels: Labels): Promise<Dashboard> {
  const started = performance.now();
  const [fine, daily] = await Promise.all([
    store.caseStats({ ...period, groupBy: ['category', 'channel', 'product'] }),
    store.caseStats({ ...period, groupBy: ['day'], tzOffsetMinutes: SHOP_TZ_MINUTES }),
  ]);
  const queryMs = performance.now() - started;
  const total = sumBuckets(fine);
  const dayCounts = rollup(daily, 'day');
  const days = daysBetween(period.fromDay, period.toDay).map((day) => ({
    key: day,
    label: day,
    ...metricsOf(dayCounts.get(day) ?? emptyCounts(), total.cases),
  }));
  return {
    period,
    kpi: metricsOf(total),
    tables: {
      category: rowsOf(rollup(fine, 'category'), 'category', total.cases, labels).sort(byCases),
      channel: rowsOf(rollup(fine, 'channel'), 'channel', total.cases, labels).sort(byCases),
      product: rowsOf(rollup(fine, 'product'), 'product', total.cases, labels).sort(byCases),
      day: days,
    },
    queryMs: Math.round(queryMs * 10) / 10,
  };
}
