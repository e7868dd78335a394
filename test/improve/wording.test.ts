/**
 * 直播间话术核查: false-advertising cases grouped by product with the claims shoppers quote, masked — on the
 * seeded demo through the route, and on hand-written descriptions through the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabels } from '../../src/analytics/labels.js';
import { lastDays } from '../../src/analytics/period.js';
import { claimsOf, wordingReport, type WordingReport } from '../../src/improve/wording.js';
import { NOW, startDashboardApp, type DashboardApp } from '../analytics/app-rig.js';
import { allStoreCases, openStore } from '../analytics/rig.js';

let app: DashboardApp;

beforeAll(async () => {
  app = await startDashboardApp({ cases: 500 });
});

afterAll(async () => {
  await app?.stop();
});

describe('claims', () => {
  it('keeps the clause that quotes the live room, masked, and nothing else', () => {
    expect(claimsOf('主播说买一送一，赠品没收到')).toEqual(['主播说买一送一']);
    expect(claimsOf('收到的羽绒服跑绒严重')).toEqual([]);
    expect(claimsOf('直播间说可以打13812345678这个电话退换。主播说买一送一')).toEqual(['直播间说可以打138****5678这个电话退换', '主播说买一送一']);
  });
});

describe('wording report', () => {
  it('groups the false-advertising cases of the period by product, claims counted over the store cases', async () => {
    const manager = await app.cookie('manager');
    const res = await fetch(`${app.url}/api/wording?days=30`, { headers: { cookie: manager } });
    expect(res.status).toBe(200);
    const report = (await res.json()) as WordingReport;
    const month = lastDays(NOW, 30);
    const falseAd = (await allStoreCases(app.h.services.store)).filter((c) => c.category === 'false_ad' && c.createdAt >= month.from && c.createdAt < month.to);
    expect(falseAd.length).toBeGreaterThan(5);
    expect(report.cases).toBe(falseAd.length);
    expect(report.groups.reduce((n, g) => n + g.cases, 0)).toBe(falseAd.length);
    const quoting = falseAd.filter((c) => /主播说/.test(c.description ?? ''));
    const hostClaims = report.groups.flatMap((g) => g.claims).filter((c) => c.text.startsWith('主播说'));
    expect(hostClaims.reduce((n, c) => n + c.cases, 0)).toBe(quoting.length);
    for (const g of report.groups) expect(g.cases).toBe(g.claims.reduce((n, c) => n + c.cases, 0) - overlap(g) + g.withoutClaim);
    const agent = await app.cookie('agent');
    expect((await fetch(`${app.url}/api/wording`, { headers: { cookie: agent } })).status).toBe(403);
    expect((await fetch(`${app.url}/api/wording?days=0`, { headers: { cookie: manager } })).status).toBe(400);
  });

  it('reads claims per product from the store, most repeated first', async () => {
    const { store, cleanup } = await openStore();
    try {
      const customer = await store.upsertCustomer({ channel: 'douyin', platformUserId: 'buyer-1' });
      const conv = await store.getOrCreateConversation({ channel: 'douyin', key: 'k', customerId: customer.id });
      const write = (product: string, description: string) =>
        store.createCase({ channel: 'douyin', customerId: customer.id, conversationId: conv.id, category: 'false_ad', description, data: { order: { productName: product } } });
      await write('羊绒围巾', '主播说是100%羊绒，收到有化纤');
      await write('羊绒围巾', '主播说是100%羊绒，收到有化纤');
      await write('羊绒围巾', '颜色不一样');
      await write('口红', '直播间说持妆12小时，两小时就掉了');
      const report = await wordingReport(store, loadLabels(), lastDays(Date.now(), 1));
      expect(report.groups.map((g) => [g.label, g.cases, g.withoutClaim, g.claims.map((c) => [c.text, c.cases])])).toEqual([
        ['羊绒围巾', 3, 1, [['主播说是100%羊绒', 2]]],
        ['口红', 1, 0, [['直播间说持妆12小时', 1]]],
      ]);
    } finally {
      await cleanup();
    }
  });
});

/** Cases counted under more than one claim (a description that quotes two). */
function overlap(g: WordingReport['groups'][number]): number {
  const ids = g.claims.flatMap((c) => c.caseIds);
  return ids.length - new Set(ids).size;
}
