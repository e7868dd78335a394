/**
 * `npm run bench:dashboard [-- --cases=100000 --runs=7]`: the dashboard's store queries on a SQLite store holding
 * 100 000 demo cases, all inside the last 90 days (the worst case for the 90-day view: every case is in range).
 * Prints the median milliseconds per call for each period and filter, the query plan, and the same aggregation
 * with the covering index switched off for comparison. Not part of `npm test`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { customerView } from '../src/analytics/customer-view.js';
import { loadDashboard } from '../src/analytics/dashboard.js';
import { generateDemo } from '../src/analytics/demo-data.js';
import { loadLabels } from '../src/analytics/labels.js';
import { lastDays, type Period } from '../src/analytics/period.js';
import { listShowcase } from '../src/analytics/showcase.js';
import { detectSpikes } from '../src/analytics/spikes.js';
import type { Case } from '../src/core/types.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';

const arg = (name: string, fallback: number): number => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
};
const CASES = arg('cases', 100_000);
const RUNS = arg('runs', 7);
const CONVERSATIONS = 2000;

const say = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-bench-dashboard-'));
  const store = new SqliteStore({ file: path.join(dir, 'aftersales.db'), evidenceDir: path.join(dir, 'evidence') });
  await store.init();
  try {
    const now = Date.now();
    let t = performance.now();
    const plan = generateDemo({ now, cases: CASES, days: 90, seed: 7 });
    say(`generated ${plan.cases.length} cases in ${Math.round(performance.now() - t)} ms`);

    t = performance.now();
    // Conversations only anchor the foreign key; 2,000 of them keep the seeding about the cases.
    const convs: string[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const channel = (['wecom', 'douyin', 'web'] as const)[i % 3] ?? 'web';
      const c = await store.upsertCustomer({ channel, platformUserId: `bench-${i}` });
      convs.push((await store.getOrCreateConversation({ channel, key: `bench-${i}`, customerId: c.id })).id);
    }
    const cases: Case[] = plan.cases.map((d, i) => ({ ...d.case, conversationId: convs[i % CONVERSATIONS] as string }));
    await store.importCases(cases);
    say(`stored ${cases.length} cases in one transaction in ${Math.round(performance.now() - t)} ms`);
    const size = fs.statSync(path.join(dir, 'aftersales.db')).size + (fs.statSync(path.join(dir, 'aftersales.db-wal'), { throwIfNoEntry: false })?.size ?? 0);
    say(`database file ${(size / 1e6).toFixed(0)} MB`);

    const labels = loadLabels();
    const rows: [string, number, number][] = [];
    for (const days of [7, 30, 90]) {
      const period = lastDays(now, days);
      const n = (await store.caseStats(period))[0]?.cases ?? 0;
      const variants: [string, Period][] = [
        ['all channels', period],
        ['channel=douyin', { ...period, channel: 'douyin' }],
        ['category=quality', { ...period, category: 'quality' }],
      ];
      for (const [label, p] of variants) {
        rows.push([`dashboard ${days}d ${label}`, n, await time(() => loadDashboard(store, p, labels))]);
      }
    }
    const p90 = lastDays(now, 90);
    const all = cases.length;
    rows.push(['  of which caseStats by category×channel×product, 90d', all, await time(() => store.caseStats({ ...p90, groupBy: ['category', 'channel', 'product'] }))]);
    rows.push(['  of which caseStats by day, 90d', all, await time(() => store.caseStats({ ...p90, groupBy: ['day'] }))]);
    rows.push(['spikes (7d vs 4 weeks, 3 dimensions + examples)', all, await time(() => detectSpikes(store, labels, { asOf: now }))]);
    rows.push(['showcase list (200), 90d', all, await time(() => listShowcase(store, labels, { from: p90.from, to: p90.to, limit: 200 }))]);
    const someone = cases[Math.floor(cases.length / 2)] as Case;
    rows.push(['customer view (by order id)', all, await time(() => customerView(store, labels, { channel: someone.channel, platformUserId: someone.customerId }))]);

    const db = store.database;
    const agg = `SELECT category, channel, st_product, COUNT(*), TOTAL(st_frt_ms), TOTAL(csat) FROM cases %I WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2, 3`;
    const covered = agg.replace('%I', 'INDEXED BY cases_stats');
    const plain = `SELECT category, channel, json_extract(data, '$.order.productName') p, COUNT(*),
      TOTAL((julianday(json_extract(data, '$.firstResponseAt')) - julianday(json_extract(data, '$.firstEscalatedAt'))) * 86400000), TOTAL(csat)
      FROM cases NOT INDEXED WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2, 3`;
    const plan1 = db.prepare(`EXPLAIN QUERY PLAN ${covered}`).all(p90.from, p90.to) as { detail: string }[];
    rows.push(['raw aggregation, covering index, 90d', all, await time(async () => db.prepare(covered).all(p90.from, p90.to))]);
    rows.push(['raw aggregation, JSON parsed per row (no index), 90d', all, await time(async () => db.prepare(plain).all(p90.from, p90.to))]);

    console.log(`\nDashboard queries on SQLite, ${cases.length} cases in the last 90 days; median of ${RUNS} runs after a warm-up\n`);
    console.log(`${'query'.padEnd(58)} ${'cases in range'.padStart(14)} ${'ms'.padStart(8)}`);
    for (const [name, n, ms] of rows) console.log(`${name.padEnd(58)} ${String(n).padStart(14)} ${ms.toFixed(1).padStart(8)}`);
    console.log(`\nplan: ${plan1.map((r) => r.detail).join(' | ')}`);
    console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}`);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
