/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core): a manager signs in through
 * the login page, sees the KPIs and charts of the seeded demo data, filters by channel, and downloads the
 * category CSV, whose rows are compared with the cases read back from the store.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastDays } from '../../src/analytics/period.js';
import { launchBrowser } from '../helpers/browser.js';
import { NOW, PASSWORD, startDashboardApp, type DashboardApp } from './app-rig.js';
import { allStoreCases, parseCsv } from './rig.js';

/** The little of the page's globals the checks use (the project compiles without the DOM library). */
interface PageGlobals {
  Chart?: { instances: Record<string, unknown> };
  document: { body: { getAttribute(name: string): string | null } };
}

const CATEGORY: Record<string, string> = {
  quality: '商品质量问题', logistics: '物流/运输问题', wrong_item: '发错/漏发', false_ad: '与宣传不符', service: '服务投诉', no_fault_return: '无理由退换',
};

let app: DashboardApp;
let browser: Browser;

const kpiCases = async (page: Page): Promise<number> => Number((await page.textContent('#kpi-cases'))?.replace(/[^\d]/g, ''));

/** Waits until the page has rendered the data for a query string containing `part`. */
async function loaded(page: Page, part: string): Promise<void> {
  await page.waitForFunction((p) => ((globalThis as unknown as PageGlobals).document.body.getAttribute('data-loaded') ?? '').includes(p), part);
}

beforeAll(async () => {
  app = await startDashboardApp({ cases: 700 });
  await app.user('manager', 'lin.manager');
  // Without Chromium this fails with the launcher's message instead of pretending to pass.
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('dashboard in Chromium', () => {
  it('signs a manager in, shows the seeded data, filters it and downloads a CSV that matches the store', async () => {
    const context = await browser.newContext({ acceptDownloads: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
    });

    await page.goto(`${app.url}/console/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await page.fill('input[name="username"]', 'lin.manager');
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL(/\/console\/dashboard/), page.click('button[type="submit"]')]);
    await loaded(page, 'days=30');

    const stored = await allStoreCases(app.h.services.store);
    const month = lastDays(NOW, 30);
    const inMonth = stored.filter((c) => c.createdAt >= month.from && c.createdAt < month.to);
    expect(inMonth.length).toBeGreaterThan(100);
    expect(await kpiCases(page)).toBe(inMonth.length);
    expect(await page.textContent('#kpi-cases-sub')).toBe('2026-02-17 至 2026-03-18');
    expect(await page.textContent('#kpi-bot')).toMatch(/^\d+\.\d%$/);
    // Five charts drawn by Chart.js on canvases, not hand-made SVG.
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).Chart?.instances ?? {}).length)).toBe(5);
    expect(await page.locator('svg').count()).toBe(0);
    // The spike of the demo data is listed with its baseline.
    const cup = page.locator('#spikes li.spike[data-key="保温杯"]');
    await expect(cup.count()).resolves.toBe(1);
    expect(await cup.textContent()).toMatch(/基线 [\d.]+ 件\/周（前 4 周：\d+ \/ \d+ \/ \d+ \/ \d+）/);
    expect(await page.locator('#showcase li').count()).toBeGreaterThan(0);

    // Filter: Douyin only.
    await page.selectOption('#f-channel', 'douyin');
    await loaded(page, 'channel=douyin');
    const douyin = inMonth.filter((c) => c.channel === 'douyin');
    expect(await kpiCases(page)).toBe(douyin.length);
    expect(new URL(page.url()).searchParams.get('channel')).toBe('douyin');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-category')]);
    expect(download.suggestedFilename()).toBe('cases-by-category_2026-02-17_2026-03-18.csv');
    const file = await download.path();
    const text = fs.readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text);
    expect(rows[0]?.slice(0, 2)).toEqual(['问题分类', '工单数']);
    const expected = new Map<string, number>();
    for (const c of douyin) {
      const label = CATEGORY[c.category ?? ''] ?? '（未填写）';
      expected.set(label, (expected.get(label) ?? 0) + 1);
    }
    expect(new Map(rows.slice(1).map((r) => [r[0], Number(r[1])]))).toEqual(expected);
    const resolved = (label: string): number => douyin.filter((c) => CATEGORY[c.category ?? ''] === label && (c.status === 'resolved' || c.status === 'closed')).length;
    expect(rows.slice(1).map((r) => Number(r[3]))).toEqual(rows.slice(1).map((r) => resolved(r[0] ?? '')));

    // A shorter period narrows the numbers again.
    await page.selectOption('#f-period', '7');
    await loaded(page, 'days=7');
    const week = lastDays(NOW, 7);
    expect(await kpiCases(page)).toBe(douyin.filter((c) => c.createdAt >= week.from).length);
    expect(await page.locator('#table-day tbody tr').count()).toBe(7);

    // The customer view from a spike example.
    await page.locator('#spikes li.spike button.link').first().click();
    await page.waitForSelector('#customer-cases tbody tr');
    expect(await page.locator('#customer-cases tbody tr').count()).toBeGreaterThan(0);

    expect(problems).toEqual([]);
    await context.close();
  });
});
