/** The dashboard's numbers on seeded demo data, against the same numbers computed here from the cases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboard } from '../../src/analytics/dashboard.js';
import { loadLabels } from '../../src/analytics/labels.js';
import { lastDays, parseFilters, type Period } from '../../src/analytics/period.js';
import type { Case } from '../../src/core/types.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { chinaDay, DAY, expectedKpi, openStore, seedDemo } from './rig.js';

/** A Wednesday noon in China. */
const NOW = Date.parse('2026-03-18T04:00:00.000Z');
const labels = loadLabels();

let store: SqliteStore;
let cleanup: () => Promise<void>;
let cases: Case[];

beforeAll(async () => {
  ({ store, cleanup } = await openStore());
  ({ cases } = await seedDemo(store, { now: NOW, cases: 900 }));
});

afterAll(async () => {
  await cleanup();
});

const inPeriod = (p: Period, extra: (c: Case) => boolean = () => true): Case[] =>
  cases.filter((c) => c.createdAt >= p.from && c.createdAt < p.to && extra(c));

const countBy = (cs: Case[], key: (c: Case) => string | null): Map<string | null, number> => {
  const m = new Map<string | null, number>();
  for (const c of cs) m.set(key(c), (m.get(key(c)) ?? 0) + 1);
  return m;
};

describe('dashboard numbers', () => {
  it('KPI tiles equal the definitions computed from the cases, for 7, 30 and 90 days', async () => {
    for (const days of [7, 30, 90]) {
      const period = lastDays(NOW, days);
      const d = await loadDashboard(store, period, labels);
      const expected = inPeriod(period);
      expect(expected.length).toBeGreaterThan(days * 3);
      expect(d.kpi).toMatchObject(expectedKpi(expected));
    }
  });

  it('tables by category, channel and product add up and match counts per value', async () => {
    const period = lastDays(NOW, 30);
    const d = await loadDashboard(store, period, labels);
    const expected = inPeriod(period);
    const product = (c: Case): string | null => ((c.data.order as { productName?: string } | undefined)?.productName ?? null);
    const tables = [
      [d.tables.category, countBy(expected, (c) => c.category)],
      [d.tables.channel, countBy(expected, (c) => c.channel)],
      [d.tables.product, countBy(expected, product)],
    ] as const;
    for (const [rows, counts] of tables) {
      expect(new Map(rows.map((r) => [r.key, r.cases]))).toEqual(counts);
      expect(rows.map((r) => r.cases)).toEqual([...rows.map((r) => r.cases)].sort((a, b) => b - a));
      expect(rows.reduce((n, r) => n + (r.share ?? 0), 0)).toBeCloseTo(1, 2);
    }
    const quality = d.tables.category.find((r) => r.key === 'quality');
    expect(quality?.label).toBe('商品质量问题');
    expect(quality).toMatchObject(expectedKpi(expected.filter((c) => c.category === 'quality')));
    expect(d.tables.channel.find((r) => r.key === 'douyin')?.label).toBe('抖音');
  });

  it('has one row per China calendar day, empty days included', async () => {
    const period = lastDays(NOW, 30);
    const d = await loadDashboard(store, period, labels);
    expect(d.tables.day).toHaveLength(30);
    expect(d.tables.day[0]?.key).toBe('2026-02-17');
    expect(d.tables.day[29]?.key).toBe('2026-03-18');
    const perDay = countBy(inPeriod(period), (c) => chinaDay(c.createdAt));
    for (const row of d.tables.day) expect(row.cases, row.key ?? '').toBe(perDay.get(row.key) ?? 0);
  });

  it('filters by channel, category and a custom period of local days', async () => {
    const q = { from: '2026-03-01', to: '2026-03-07', channel: 'douyin', category: 'quality' };
    const period = parseFilters(q, NOW);
    expect(period).toMatchObject({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-07T16:00:00.000Z', days: 7, fromDay: '2026-03-01', toDay: '2026-03-07' });
    const d = await loadDashboard(store, period, labels);
    const expected = cases.filter((c) => chinaDay(c.createdAt) >= '2026-03-01' && chinaDay(c.createdAt) <= '2026-03-07' && c.channel === 'douyin' && c.category === 'quality');
    expect(expected.length).toBeGreaterThan(5);
    expect(d.kpi).toMatchObject(expectedKpi(expected));
    expect(d.tables.channel.map((r) => r.key)).toEqual(['douyin']);
    expect(d.tables.day).toHaveLength(7);
  });

  it('rejects filters it cannot honour, with a 400 code', () => {
    const bad = [{ days: '0' }, { days: 'x' }, { from: '2026-03-01' }, { from: '2026-03-05', to: '2026-03-01' }, { from: '2026-02-30', to: '2026-03-01' }, { channel: 'tiktok' }, { category: 'other' }];
    for (const q of bad) expect(() => parseFilters(q, NOW), JSON.stringify(q)).toThrow(expect.objectContaining({ status: 400 }));
    expect(parseFilters({}, NOW)).toMatchObject({ days: 30, toDay: '2026-03-18' });
    expect(parseFilters({ from: '2026-03-01T00:00:00+08:00', to: '2026-03-02T12:00:00Z' }, NOW)).toMatchObject({
      from: '2026-02-28T16:00:00.000Z', to: '2026-03-02T12:00:00.000Z', fromDay: '2026-03-01', toDay: '2026-03-02',
    });
    expect(parseFilters({ days: '7' }, NOW).from).toBe(new Date(Date.parse('2026-03-11T16:00:00.000Z')).toISOString());
    expect(lastDays(NOW, 1).to).toBe(new Date(Date.parse('2026-03-18T16:00:00.000Z')).toISOString());
    expect(Date.parse(lastDays(NOW, 90).to) - Date.parse(lastDays(NOW, 90).from)).toBe(90 * DAY);
  });
});
