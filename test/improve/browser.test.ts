/**
 * Issue #19's acceptance in a real headless Chromium on the seeded demo: the carrier spike → the manager opens an
 * improvement item for the carrier → the owner (an agent) sees it and marks it done → once enough weeks have
 * passed (the app's clock moved on, new cases written), the before/after effect shows on the dashboard.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SPIKES } from '../../src/analytics/demo-data.js';
import type { Case } from '../../src/core/types.js';
import type { ConsoleUser } from '../../src/store/types.js';
import { launchBrowser } from '../helpers/browser.js';
import { NOW, PASSWORD, startDashboardApp, type DashboardApp } from '../analytics/app-rig.js';
import { allStoreCases } from '../analytics/rig.js';

const WEEK = 7 * 24 * 3600_000;
let now = NOW;
let app: DashboardApp;
let browser: Browser;
let owner: ConsoleUser;

interface PageGlobals {
  document: { body: { getAttribute(name: string): string | null } };
}

async function signIn(path: string, username: string): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
  });
  await page.goto(`${app.url}${path}`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === path), page.click('button[type="submit"]')]);
  return { page, problems, close: () => context.close() };
}

const loaded = (page: Page): Promise<unknown> =>
  page.waitForFunction(() => ((globalThis as unknown as PageGlobals).document.body.getAttribute('data-loaded') ?? '') !== '');

beforeAll(async () => {
  app = await startDashboardApp({ cases: 700, clock: { now: () => now } });
  await app.user('manager', 'lin.manager');
  owner = await app.user('agent', 'zhou.logistics');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('改进单 in Chromium', () => {
  it('goes from the carrier spike to an item, the owner marks it done, and the dashboard shows the effect', async () => {
    // The manager sees the carrier spike and opens an item for it.
    const m = await signIn('/console/dashboard', 'lin.manager');
    await loaded(m.page);
    const spike = m.page.locator(`#spikes li.spike[data-dimension="carrier"][data-key="${DEMO_SPIKES.carrier}"]`);
    await Promise.all([m.page.waitForURL(/\/console\/improvements\?/), spike.locator('a.improve').click()]);
    await m.page.waitForSelector('#new-card:not([hidden])');
    expect(await m.page.inputValue('#n-key')).toBe(DEMO_SPIKES.carrier);
    expect(await m.page.inputValue('#n-dimension')).toBe('carrier');
    expect(await m.page.inputValue('#n-source')).toBe('spike');
    await m.page.selectOption('#n-owner', owner.id);
    await m.page.fill('#n-action', '与圆通核对丢件，改由中通发华东件');
    await m.page.fill('#n-due', '2026-03-25');
    await m.page.click('#n-submit');
    await m.page.waitForSelector('#items tbody tr[data-status="open"]');
    expect(await m.page.textContent('#items tbody tr td:first-child')).toBe(`快递公司：${DEMO_SPIKES.carrier}`);
    const [stored] = await app.h.services.store.listImprovements({});
    expect(stored).toMatchObject({ dimension: 'carrier', key: DEMO_SPIKES.carrier, cause: 'carrier', ownerId: owner.id, source: 'spike', status: 'open' });
    expect(m.problems).toEqual([]);
    await m.close();

    // The owner, an agent, sees it among their items and marks it done.
    const o = await signIn('/console/improvements', 'zhou.logistics');
    const row = o.page.locator(`#items tbody tr[data-id="${stored?.id}"]`);
    await row.waitFor();
    expect(await o.page.isHidden('#new-card')).toBe(true);
    expect(await row.locator('td').nth(3).textContent()).toBe('与圆通核对丢件，改由中通发华东件');
    await row.locator('button.done').click();
    await o.page.waitForSelector(`#items tbody tr[data-id="${stored?.id}"][data-status="done"]`);
    expect(await row.locator('td.effect').textContent()).toContain('数据不足');
    expect(o.problems).toEqual([]);
    await o.close();

    // Three weeks on, with the carrier's complaints down to a third, the dashboard shows the effect.
    const month = (await allStoreCases(app.h.services.store)).filter((c) => Date.parse(c.createdAt) >= NOW - 4 * WEEK && Date.parse(c.createdAt) < NOW - WEEK);
    let n = 0;
    const later: Case[] = month
      .filter((c) => (c.data as { carrier?: string }).carrier !== DEMO_SPIKES.carrier || n++ % 3 === 0)
      .map((c) => ({ ...c, id: randomUUID(), createdAt: new Date(Date.parse(c.createdAt) + 4 * WEEK).toISOString() }));
    await app.h.services.store.importCases(later);
    now = NOW + 3 * WEEK;
    const d = await signIn('/console/dashboard', 'lin.manager');
    await loaded(d.page);
    const item = d.page.locator(`#improvements li.item[data-id="${stored?.id}"]`);
    await item.waitFor();
    expect(await item.locator('.status-label').textContent()).toBe('已完成待确认');
    expect(await item.locator('.effect').textContent()).toMatch(/^完成前 4 周：\d+ 件，占全部工单 [\d.]+%（每周 [\d/]+）；完成后 3 周：\d+ 件，占 [\d.]+%（每周 [\d/]+）；占比下降 [\d.]+ 个百分点$/);
    expect(d.problems).toEqual([]);
    await d.close();
  });
});
