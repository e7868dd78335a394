/** Shared by the analytics tests: a fresh SQLite store in a temp folder, demo data, and plain expectations. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemo, type DemoCase, type DemoCustomer } from '../../src/analytics/demo-data.js';
import { writeDemo } from '../../src/analytics/demo-seed.js';
import type { Case } from '../../src/core/types.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/types.js';

export const H = 3600_000;
export const DAY = 24 * H;

export async function openStore(): Promise<{ store: SqliteStore; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-analytics-'));
  const store = new SqliteStore({ file: path.join(dir, 'aftersales.db'), evidenceDir: path.join(dir, 'evidence') });
  await store.init();
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Demo cases written through the Store (no messages or events: the numbers only need cases). */
export async function seedDemo(
  store: Store,
  opts: { now: number; cases: number; seed?: number; agents?: string[] },
): Promise<{ cases: Case[]; customers: DemoCustomer[]; plan: DemoCase[] }> {
  const plan = generateDemo({ now: opts.now, cases: opts.cases, seed: opts.seed ?? 99, ...(opts.agents ? { agents: opts.agents } : {}) });
  const cases = await writeDemo(store, plan, { messages: false, events: false });
  return { cases, customers: plan.customers, plan: plan.cases };
}

/** Every case of the store, read back page by page through listCases (not from what the test wrote). */
export async function allStoreCases(store: Store): Promise<Case[]> {
  const out: Case[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listCases({ limit: 200, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** The China calendar day of an ISO instant, computed without the code under test. */
export const chinaDay = (isoString: string): string => new Date(Date.parse(isoString) + 8 * H).toISOString().slice(0, 10);

const t = (v: unknown): number | null => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null);
const r4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** The dashboard's KPI definitions written out plainly over a list of cases. */
export function expectedKpi(cases: Case[]): Record<string, number | null | number[]> {
  const done = cases.filter((c) => c.status === 'resolved' || c.status === 'closed');
  const escalated = (c: Case): boolean => (c.data.firstEscalatedAt ?? c.data.escalatedAt ?? null) !== null;
  const frt = cases
    .map((c) => {
      const first = t(c.data.firstResponseAt);
      const base = t(c.data.firstEscalatedAt ?? c.data.escalatedAt ?? c.createdAt);
      return first !== null && base !== null ? first - base : null;
    })
    .filter((x): x is number => x !== null);
  const res = done.map((c) => t(c.data.resolvedAt ?? c.data.closedAt)).map((end, i) => (end === null ? null : end - Date.parse((done[i] as Case).createdAt)));
  const resolutions = res.filter((x): x is number => x !== null);
  const sla = cases.filter((c) => c.sla !== null);
  const breaches = (c: Case): number => c.sla?.breaches.length ?? 0;
  const settled = sla.filter((c) => breaches(c) > 0 || done.includes(c));
  const met = sla.filter((c) => breaches(c) === 0 && done.includes(c));
  const rated = cases.filter((c) => c.csat !== null);
  const ever = cases.filter((c) => done.includes(c) || c.reopenCount > 0);
  return {
    cases: cases.length,
    resolved: done.length,
    botResolvedShare: done.length ? r4(done.filter((c) => !escalated(c)).length / done.length) : null,
    escalatedShare: cases.length ? r4(cases.filter(escalated).length / cases.length) : null,
    firstResponseAvgMinutes: frt.length ? Math.round((frt.reduce((a, b) => a + b, 0) / frt.length / 60_000) * 10) / 10 : null,
    resolutionAvgHours: resolutions.length ? Math.round((resolutions.reduce((a, b) => a + b, 0) / resolutions.length / H) * 10) / 10 : null,
    slaMetShare: settled.length ? r4(met.length / settled.length) : null,
    csatAvg: rated.length ? Math.round((rated.reduce((a, c) => a + (c.csat ?? 0), 0) / rated.length) * 100) / 100 : null,
    csatCount: rated.length,
    csatDistribution: [1, 2, 3, 4, 5].map((n) => rated.filter((c) => c.csat === n).length),
    reopenRate: ever.length ? r4(cases.filter((c) => c.reopenCount > 0).length / ever.length) : null,
  };
}

/** Parses our CSV (BOM, CRLF, quoted cells) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
