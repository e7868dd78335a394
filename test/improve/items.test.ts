/**
 * 改进单 over HTTP on the seeded demo (real Redis, real SQLite): who may open, see and change an item, bad input
 * changing nothing, linked cases and the before/after effect checked against the store's own cases, the overdue
 * alarm through the real `timer` processor (once per due date), and the CSV export and weekly digest.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerProcessor } from '../../handlers/jobs/timer.js';
import { buildDigest } from '../../src/analytics/digest.js';
import { loadLabels } from '../../src/analytics/labels.js';
import type { Case } from '../../src/core/types.js';
import { OVERDUE_TIMER } from '../../src/improve/overdue.js';
import type { JobMap } from '../../src/queues/jobs.js';
import type { ConsoleUser } from '../../src/store/types.js';
import { NOW, startDashboardApp, type DashboardApp } from '../analytics/app-rig.js';
import { allStoreCases, parseCsv } from '../analytics/rig.js';
import { createSession } from '../../src/console/sessions.js';

const DAY = 24 * 3600_000;
const WEEK = 7 * DAY;
/** 2026-03-18 12:00 China: the done day starts at 2026-03-18 00:00 China. */
const DONE_DAY_START = Date.parse('2026-03-17T16:00:00.000Z');

let now = NOW;
let app: DashboardApp;
let manager: string;
let owner: ConsoleUser;
let ownerCookie: string;
let otherAgent: string;

interface ItemJson {
  id: string;
  status: string;
  statusLabel: string;
  causeLabel: string;
  dimensionLabel: string;
  name: string;
  ownerName: string;
  overdue: boolean;
  linkedCases: number;
  dueDate: string;
  effect: null | { before: { cases: number; total: number; rate: number | null; series: number[] }; after: null | { cases: number; total: number; rate: number | null; weeks: number }; text: string; changePoints: number | null };
}

const call = async (method: string, path: string, cookie: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { cookie, 'x-requested-with': 'console', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const errorCode = (r: { json: Record<string, unknown> }): string => (r.json.error as { code: string }).code;

const allCases = (): Promise<Case[]> => allStoreCases(app.h.services.store);
const carrierOf = (c: Case): unknown => (c.data as { carrier?: unknown }).carrier;
const inWindow = (c: Case, from: number, to: number): boolean => Date.parse(c.createdAt) >= from && Date.parse(c.createdAt) < to;

const newItem = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  source: 'spike', dimension: 'carrier', key: '圆通', cause: 'carrier', ownerId: owner.id, action: '与圆通对账丢件，改发中通', dueDate: '2026-03-25', ...over,
});

beforeAll(async () => {
  app = await startDashboardApp({ cases: 700, clock: { now: () => now } });
  manager = await app.cookie('manager');
  owner = await app.user('agent', 'wang.owner');
  ownerCookie = `asa_session=${(await createSession(app.h.services, owner.id)).id}`;
  otherAgent = await app.cookie('agent');
});

afterAll(async () => {
  await app?.stop();
});

describe('improvement items', () => {
  let itemId = '';

  it('refuses bad input with a specific error and stores nothing', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [newItem({ ownerId: 'nobody' }), 400, 'unknown_owner'],
      [newItem({ dueDate: '2026-02-30' }), 400, 'invalid_body'],
      [newItem({ dueDate: '2026-03-01' }), 400, 'due_in_past'],
      [newItem({ dimension: 'category', key: 'broken' }), 400, 'bad_category'],
      [newItem({ key: undefined }), 400, 'key_required'],
      [newItem({ cause: 'weather' }), 400, 'invalid_body'],
      [newItem({ source: 'case', caseId: 'missing-case' }), 404, 'case_not_found'],
    ];
    for (const [body, status, code] of cases) {
      const r = await call('POST', '/api/improvements', manager, body);
      expect([r.status, errorCode(r)], JSON.stringify(body)).toEqual([status, code]);
    }
    const byAgent = await call('POST', '/api/improvements', ownerCookie, newItem());
    expect([byAgent.status, errorCode(byAgent)]).toEqual([403, 'forbidden']);
    expect(await app.h.services.store.listImprovements({})).toEqual([]);
  });

  it('opens an item for the spiking carrier with Chinese labels, its cases linked by key and an overdue alarm', async () => {
    const r = await call('POST', '/api/improvements', manager, newItem());
    expect(r.status).toBe(201);
    const item = r.json as unknown as ItemJson;
    itemId = item.id;
    expect(item).toMatchObject({ status: 'open', statusLabel: '进行中', causeLabel: '快递公司', dimensionLabel: '快递公司', name: '圆通', ownerName: owner.displayName, overdue: false, effect: null });
    // Linked: every case of the carrier from 4 weeks before the opening day (China) until now.
    const from = DONE_DAY_START - 4 * WEEK;
    const expected = (await allCases()).filter((c) => carrierOf(c) === '圆通' && inWindow(c, from, NOW + 1)).length;
    expect(expected).toBeGreaterThan(5);
    expect(item.linkedCases).toBe(expected);
    const job = await app.h.services.queues.get('timer').getJob(`${OVERDUE_TIMER}-${item.id}-2026-03-25`);
    expect(job?.data).toMatchObject({ kind: OVERDUE_TIMER, subjectId: item.id, payload: { dueDate: '2026-03-25' } });
    // The due day ends 2026-03-26 00:00 China; TIME_SCALE is 1 in tests.
    expect(job?.opts.delay).toBe(Date.parse('2026-03-25T16:00:00.000Z') - NOW);
  });

  it('shows the owner their items only; others are refused', async () => {
    const mine = await call('GET', '/api/improvements', ownerCookie);
    expect((mine.json.items as ItemJson[]).map((i) => i.id)).toEqual([itemId]);
    const other = await call('GET', '/api/improvements', otherAgent);
    expect(other.json.items).toEqual([]);
    const peek = await call('GET', `/api/improvements/${itemId}`, otherAgent);
    expect([peek.status, errorCode(peek)]).toEqual([403, 'not_your_item']);
    const closeByOwner = await call('POST', `/api/improvements/${itemId}/close`, ownerCookie);
    expect(closeByOwner.status).toBe(403);
    const detail = await call('GET', `/api/improvements/${itemId}`, ownerCookie);
    const linked = detail.json.cases as { caseId: string; text: string }[];
    expect(linked.length).toBeGreaterThan(0);
    const stored = await app.h.services.store.getCase(linked[0]?.caseId ?? '');
    expect(carrierOf(stored as Case)).toBe('圆通');
  });

  it('raises one overdue alert per due date through the timer processor, and none once done', async () => {
    const process = timerProcessor(app.h.services);
    const queue = app.h.services.queues.get('timer');
    // The delayed job openItem scheduled, run now (the fake clock stands still) by the real timer processor.
    const run = async (dueDate: string): Promise<string> => {
      const id = `${OVERDUE_TIMER}-${itemId}-${dueDate}`;
      if (!(await queue.getJob(id))) await app.h.services.queues.add('timer', { kind: OVERDUE_TIMER, subjectId: itemId, dueAt: 0, payload: { dueDate } }, { jobId: id, delay: WEEK });
      return process((await queue.getJob(id)) as Job<JobMap['timer']>);
    };
    expect(await run('2026-03-20')).toBe('not due'); // a stale timer for a due date the item does not have
    const first = await run('2026-03-25');
    expect(first).toMatch(/^overdue alert /);
    expect(await run('2026-03-25')).toBe(first);
    const alerts = await app.h.services.store.listAlerts({ kind: 'improvement_overdue' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ key: `improvement:overdue:${itemId}:2026-03-25`, title: '改进单逾期：快递公司「圆通」（快递公司）' });
    expect(alerts[0]?.text).toContain('与圆通对账丢件，改发中通');
    expect(alerts[0]?.data.notifyUserIds).toEqual([owner.id]);
  });

  it('lets the owner mark it done once; the effect says 数据不足 until two whole weeks have passed', async () => {
    const done = await call('POST', `/api/improvements/${itemId}/done`, ownerCookie);
    expect(done.status).toBe(200);
    const item = done.json as unknown as ItemJson;
    expect(item.status).toBe('done');
    const cases = await allCases();
    const before = cases.filter((c) => inWindow(c, DONE_DAY_START - 4 * WEEK, DONE_DAY_START));
    const yto = before.filter((c) => carrierOf(c) === '圆通');
    expect(item.effect?.before).toMatchObject({ cases: yto.length, total: before.length });
    expect(item.effect?.before.rate).toBeCloseTo(yto.length / before.length, 4);
    expect(item.effect?.after).toBeNull();
    expect(item.effect?.text).toContain('数据不足');
    const again = await call('POST', `/api/improvements/${itemId}/done`, ownerCookie);
    expect([again.status, errorCode(again)]).toEqual([409, 'improvement_state']);
    const job = await app.h.services.queues.get('timer').getJob(`${OVERDUE_TIMER}-${itemId}-2026-03-25`);
    expect(await timerProcessor(app.h.services)(job as Job<JobMap['timer']>)).toBe('not due');
  });

  it('compares the weeks after the done day with the weeks before, from the same stats as the dashboard', async () => {
    // Three weeks later: copies of the month before, shifted 4 weeks on, with the carrier's share cut to a third.
    const source = (await allCases()).filter((c) => inWindow(c, DONE_DAY_START - 4 * WEEK, DONE_DAY_START - WEEK));
    let kept = 0;
    const later: Case[] = [];
    for (const c of source) {
      if (carrierOf(c) === '圆通' && kept++ % 3 !== 0) continue;
      later.push({ ...c, id: randomUUID(), createdAt: new Date(Date.parse(c.createdAt) + 4 * WEEK).toISOString(), updatedAt: new Date(Date.parse(c.updatedAt) + 4 * WEEK).toISOString() });
    }
    await app.h.services.store.importCases(later);
    now = NOW + 3 * WEEK;
    // Sessions expire on the app's clock: sign in again three weeks later.
    manager = await app.cookie('manager');
    ownerCookie = `asa_session=${(await createSession(app.h.services, owner.id)).id}`;
    const r = await call('GET', `/api/improvements/${itemId}`, manager);
    const item = r.json as unknown as ItemJson;
    const all = await allCases();
    const after = all.filter((c) => inWindow(c, DONE_DAY_START, DONE_DAY_START + 3 * WEEK));
    const afterYto = after.filter((c) => carrierOf(c) === '圆通');
    expect(item.effect?.after).toMatchObject({ weeks: 3, cases: afterYto.length, total: after.length });
    expect(item.effect?.after?.rate).toBeCloseTo(afterYto.length / after.length, 4);
    expect(item.effect?.changePoints).toBeLessThan(0);
    expect(item.effect?.text).toMatch(/完成后 3 周：\d+ 件，占 [\d.]+%.*占比下降 [\d.]+ 个百分点/);
  });

  it('puts the items and their effect in the CSV export and the weekly digest', async () => {
    const res = await fetch(`${app.url}/api/stats/export.csv?table=improvements`, { headers: { cookie: manager } });
    expect(res.status).toBe(200);
    const rows = parseCsv(await res.text());
    expect(rows[0]?.slice(0, 4)).toEqual(['维度', '名称', '原因', '负责人']);
    expect(rows[1]?.slice(0, 7)).toEqual(['快递公司', '圆通', '快递公司', owner.displayName, '与圆通对账丢件，改发中通', '2026-03-25', '已完成待确认']);
    expect(rows[1]?.[13]).toMatch(/占比下降/);
    const digest = await buildDigest(app.h.services.store, loadLabels(), { asOf: now, shopName: '测试店' });
    expect(digest.text).toContain('改进单：进行中 0 项（逾期 0 项），待确认 1 项。');
    expect(digest.text).toContain(`· 快递公司「圆通」快递公司｜${owner.displayName}｜已完成待确认｜完成前 4 周：`);
    expect(digest.improvements.map((i) => i.id)).toEqual([itemId]);
  });

  it('lets a manager close and reopen it; a reopened item with a new due date gets a new alarm', async () => {
    const closed = await call('POST', `/api/improvements/${itemId}/close`, manager);
    expect((closed.json as unknown as ItemJson).status).toBe('closed');
    const reopenByOwner = await call('POST', `/api/improvements/${itemId}/reopen`, ownerCookie, {});
    expect(reopenByOwner.status).toBe(403);
    const reopened = await call('POST', `/api/improvements/${itemId}/reopen`, manager, { dueDate: '2026-04-30' });
    expect(reopened.json).toMatchObject({ status: 'open', reopenCount: 1, dueDate: '2026-04-30', doneAt: null, effect: null });
    expect(await app.h.services.queues.get('timer').getJob(`${OVERDUE_TIMER}-${itemId}-2026-04-30`)).toBeTruthy();
    const twice = await call('POST', `/api/improvements/${itemId}/reopen`, manager, {});
    expect([twice.status, errorCode(twice)]).toEqual([409, 'improvement_state']);
  });

  it('opens an item from a case: the key is read from the case', async () => {
    const kase = (await allCases()).find((c) => typeof (c.data as { order?: { productName?: string } }).order?.productName === 'string');
    const r = await call('POST', '/api/improvements', manager, newItem({ source: 'case', caseId: kase?.id, dimension: 'product', key: undefined, cause: 'supplier', dueDate: '2026-04-20' }));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ source: 'case', sourceCaseId: kase?.id, dimension: 'product', key: (kase?.data as { order: { productName: string } }).order.productName });
  });
});
