/**
 * The escalation queue and the assigner on a real app (Redis + SQLite + workers): priority then wait,
 * capacity, skills, least-loaded first, offline agents skipped, waiting when nobody can take a case.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestAssignment, waitingCases } from '../../src/handoff/assign.js';
import type { Case } from '../../src/core/types.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { agent, escalatedCase } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h?.stop());

const reload = async (c: Case): Promise<Case> => (await h.services.store.getCase(c.id)) as Case;

describe('assignment', () => {
  it('puts escalated cases in the queue by priority, then by waiting time', async () => {
    const s = h.services;
    const late2 = await escalatedCase(s, { priority: 2 });
    const urgent = await escalatedCase(s, { priority: 1 });
    const later2 = await escalatedCase(s, { priority: 2 });
    const queue = await waitingCases(s);
    expect(queue.map((c) => c.id)).toEqual([urgent.id, late2.id, later2.id]);
    expect(urgent.data.escalatedAt).toEqual(expect.any(String));
    expect(urgent.sla).toMatchObject({ firstResponseDue: expect.any(String), resolutionDue: expect.any(String) });
  });

  it('respects capacity and sends the rest to the next least-loaded agent; the overflow waits', async () => {
    const s = h.services;
    const a = await agent(s, 'amy', { capacity: 1 });
    const b = await agent(s, 'bob', { capacity: 2 });
    const cases: Case[] = [];
    for (let i = 0; i < 4; i++) cases.push(await escalatedCase(s));
    await requestAssignment(s, 'test');
    await waitFor(async () => (await Promise.all(cases.map(reload))).filter((c) => c.status === 'assigned').length === 3, { what: '3 assigned' });
    const now = await Promise.all(cases.map(reload));
    expect(now.filter((c) => c.assignee === a.id)).toHaveLength(1);
    expect(now.filter((c) => c.assignee === b.id)).toHaveLength(2);
    const waiting = now.filter((c) => c.status === 'escalated');
    expect(waiting).toHaveLength(1);
    // The oldest cases went first; the newest waits.
    expect(waiting[0]?.id).toBe(cases[3]?.id);
    const events = await s.store.listCaseEvents(cases[0]?.id as string);
    expect(events.filter((e) => e.type === 'assigned')).toHaveLength(1);
  });

  it('matches skills (channel and category) and skips offline agents', async () => {
    const s = h.services;
    const wecomOnly = await agent(s, 'wei', { skills: ['wecom'] });
    const logistics = await agent(s, 'liu', { skills: ['logistics'] });
    await agent(s, 'off', { online: false });
    const webQuality = await escalatedCase(s, { channel: 'web', category: 'quality' });
    const webLogistics = await escalatedCase(s, { channel: 'web', category: 'logistics' });
    const wecomQuality = await escalatedCase(s, { channel: 'wecom', category: 'quality' });
    await requestAssignment(s, 'test');
    await waitFor(async () => (await reload(webLogistics)).status === 'assigned' && (await reload(wecomQuality)).status === 'assigned', { what: 'skilled assignments' });
    expect((await reload(webLogistics)).assignee).toBe(logistics.id);
    expect((await reload(wecomQuality)).assignee).toBe(wecomOnly.id);
    // Nobody online handles web + quality: it waits, honestly.
    expect((await reload(webQuality)).status).toBe('escalated');
  });

  it('an agent coming online picks up the waiting queue', async () => {
    const s = h.services;
    const c = await escalatedCase(s);
    await requestAssignment(s, 'test');
    const off = await agent(s, 'late', { online: false });
    expect((await reload(c)).status).toBe('escalated');
    const { setPresence } = await import('../../src/handoff/actions.js');
    await setPresence(s, off.id, true);
    await waitFor(async () => (await reload(c)).assignee === off.id, { what: 'assigned after going online' });
  });

  it('tells the customer an honest wait: the queue ahead and the people free', async () => {
    const s = h.services;
    const { estimateWait } = await import('../../src/handoff/assign.js');
    const cases: Case[] = [];
    for (let i = 0; i < 3; i++) cases.push(await escalatedCase(s));
    const last = cases[2] as Case;
    const noOne = await estimateWait(s, last, { config: s.data.handoff, floorMinutes: 15 });
    expect(noOne).toMatchObject({ ahead: 2, onDutyNow: true });
    expect(noOne.minutes).toBeGreaterThanOrEqual(15);
  });
});
