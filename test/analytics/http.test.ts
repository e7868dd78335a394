/** The dashboard routes over HTTP: who may see what, the JSON, and CSV exports whose rows match the store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastDays } from '../../src/analytics/period.js';
import type { Case, CaseCategory } from '../../src/core/types.js';
import type { Store } from '../../src/store/types.js';
import { API_TOKEN, NOW, startDashboardApp, type DashboardApp } from './app-rig.js';
import { parseCsv } from './rig.js';

let app: DashboardApp;
let manager: string;
let agent: string;

beforeAll(async () => {
  app = await startDashboardApp();
  manager = await app.cookie('manager');
  agent = await app.cookie('agent');
});

afterAll(async () => {
  await app?.stop();
});

const get = (path: string, cookie?: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${app.url}${path}`, { headers: { ...(cookie ? { cookie } : {}), ...headers }, redirect: 'manual' });

/** Every case of the store, read back through listCases (not from what the test wrote). */
async function storeCases(store: Store, filter: { channel?: Case['channel']; category?: CaseCategory } = {}): Promise<Case[]> {
  const out: Case[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listCases({ ...filter, limit: 200, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

const API = ['/api/stats', '/api/stats/export.csv?table=category', '/api/spikes', '/api/showcase', '/api/showcase/export.csv', '/api/digest'];

describe('access', () => {
  it('answers 401 without a session, and sends browsers to the login page', async () => {
    for (const path of [...API, '/api/customers/douyin/someone/cases']) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    const page = await get('/console/dashboard?days=7');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`/console/login?next=${encodeURIComponent('/console/dashboard?days=7')}`);
  });

  it('answers 403 to an agent, except for the customer view', async () => {
    for (const path of [...API, '/console/dashboard']) expect((await get(path, agent)).status, path).toBe(403);
    expect((await get('/api/customers/douyin/someone/cases', agent)).status).toBe(200);
  });

  it('lets managers, supervisors, admins and the API token in', async () => {
    for (const cookie of [manager, await app.cookie('supervisor'), await app.cookie('admin')]) {
      for (const path of API) expect((await get(path, cookie)).status, path).toBe(200);
    }
    expect((await get('/api/stats', undefined, { authorization: `Bearer ${API_TOKEN}` })).status).toBe(200);
    expect((await get('/api/stats', undefined, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
  });

  it('serves the page with its own assets and chart.js from node_modules, no CDN', async () => {
    const page = await get('/console/dashboard', manager);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('售后数据看板');
    expect(html).not.toMatch(/https?:\/\//);
    const chart = await get('/console/dashboard/chart.umd.js');
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toContain('javascript');
    expect(await chart.text()).toContain('Chart.js v4');
    expect((await get('/console/dashboard/app.js')).status).toBe(200);
    expect((await get('/console/dashboard/render.js')).status).toBe(200);
    expect((await get('/console/dashboard/app.css')).status).toBe(200);
    expect((await get('/console/dashboard/secret.json')).status).toBe(404);
  });
});

describe('numbers and exports', () => {
  it('returns the KPIs and tables of the period as JSON', async () => {
    const res = await get('/api/stats?days=30', manager);
    const body = (await res.json()) as { kpi: { cases: number }; period: { fromDay: string; toDay: string }; tables: Record<string, { key: string; cases: number }[]>; options: { channels: { label: string }[] } };
    const p = lastDays(NOW, 30);
    const expected = (await storeCases(app.h.services.store)).filter((c) => c.createdAt >= p.from && c.createdAt < p.to);
    expect(body.period).toMatchObject({ fromDay: '2026-02-17', toDay: '2026-03-18' });
    expect(body.kpi.cases).toBe(expected.length);
    for (const t of ['category', 'channel', 'product', 'day']) expect(body.tables[t]?.reduce((n, r) => n + r.cases, 0), t).toBe(expected.length);
    expect(body.options.channels.map((c) => c.label)).toEqual(['企业微信', '抖音', '网页']);
  });

  it('exports the category table of a filtered period as a UTF-8 CSV whose rows match the store', async () => {
    const res = await get('/api/stats/export.csv?table=category&days=30&channel=douyin', manager);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="cases-by-category_2026-02-17_2026-03-18.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes));
    expect(rows[0]?.slice(0, 3)).toEqual(['问题分类', '工单数', '占比(%)']);

    const p = lastDays(NOW, 30);
    const douyin = (await storeCases(app.h.services.store, { channel: 'douyin' })).filter((c) => c.createdAt >= p.from && c.createdAt < p.to);
    const labels: Record<string, string> = { quality: '商品质量问题', logistics: '物流/运输问题', wrong_item: '发错/漏发', false_ad: '与宣传不符', service: '服务投诉', no_fault_return: '无理由退换' };
    const expected = new Map<string, number>();
    for (const c of douyin) expected.set(labels[c.category ?? ''] ?? '（未填写）', (expected.get(labels[c.category ?? ''] ?? '（未填写）') ?? 0) + 1);
    expect(new Map(rows.slice(1).map((r) => [r[0], Number(r[1])]))).toEqual(expected);
    const csatCounts = rows.slice(1).map((r) => Number(r[10]));
    const rated = (label: string): number => douyin.filter((c) => labels[c.category ?? ''] === label && c.csat !== null).length;
    expect(csatCounts).toEqual(rows.slice(1).map((r) => rated(r[0] ?? '')));
  });

  it('exports the other tables, spikes and showcase reviews; an unknown table is a 400', async () => {
    for (const [table, head] of [['day', '日期'], ['product', '商品'], ['channel', '渠道'], ['spikes', '统计区间'], ['showcase', '时间']]) {
      const res = await get(`/api/stats/export.csv?table=${table}&days=90`, manager);
      expect(res.status, table).toBe(200);
      expect(parseCsv(await res.text())[0]?.[0], table).toBe(head);
    }
    const day = parseCsv(await (await get('/api/stats/export.csv?table=day&days=7', manager)).text());
    expect(day).toHaveLength(1 + 7);
    const bad = await get('/api/stats/export.csv?table=secrets', manager);
    expect(bad.status).toBe(400);
    expect((await get('/api/stats?days=0', manager)).status).toBe(400);
    expect((await get('/api/stats?channel=tiktok', manager)).status).toBe(400);
  });

  it('lists this week\'s spikes of the demo data with their baseline', async () => {
    const body = (await (await get('/api/spikes', manager)).json()) as { spikes: { dimension: string; key: string; thisWeek: number; baseline: number; baselineWeeks: number[]; examples: unknown[] }[] };
    const cup = body.spikes.find((s) => s.dimension === 'product' && s.key === '保温杯');
    expect(cup).toBeDefined();
    expect(cup?.baselineWeeks).toHaveLength(4);
    expect(cup?.thisWeek).toBeGreaterThanOrEqual(2 * (cup?.baseline ?? 0));
    expect(cup?.examples.length).toBeGreaterThan(0);
  });

  it('shows a buyer\'s cases on every channel that share an order id', async () => {
    const byOrder = new Map<string, Case[]>();
    for (const c of app.cases) if (c.orderId) byOrder.set(c.orderId, [...(byOrder.get(c.orderId) ?? []), c]);
    const pair = [...byOrder.values()].find((cs) => new Set(cs.map((c) => c.channel)).size > 1) as Case[];
    expect(pair).toBeDefined();
    const [first, second] = pair as [Case, Case];
    const res = await get(`/api/customers/${first.channel}/${encodeURIComponent(first.customerId)}/cases`, agent);
    const body = (await res.json()) as { cases: { id: string }[]; identities: { channel: string; customerId: string; linkedBy: string[] }[] };
    expect(body.cases.map((c) => c.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(body.identities).toContainEqual(expect.objectContaining({ channel: second.channel, customerId: second.customerId, linkedBy: [first.orderId] }));
    expect((await get('/api/customers/tiktok/x/cases', agent)).status).toBe(400);
  });
});
