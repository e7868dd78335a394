/** The policy file: validated at load, applied by the intake, and quoted by the answers from the same data. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  evidenceRuleFor,
  loadPolicies,
  parsePolicies,
  PolicyError,
  priorityFor,
  windowVerdict,
  type Policies,
} from '../../src/dialogue/policies.js';
import type { Nlu } from '../../src/nlu/index.js';
import { Sim} from './sim.js';
import { testClassifier } from '../helpers/classifier.js';

const file = path.join(import.meta.dirname, '../../config/policies.json');
/** The shipped file as parsed JSON (not validated), to change one field per test. */
const raw = (): Policies => JSON.parse(fs.readFileSync(file, 'utf8')) as Policies;
const DAY = 24 * 3600 * 1000;

let p: Policies;
let nlu: Nlu;
beforeAll(async () => {
  p = loadPolicies();
  nlu = await testClassifier();
});

describe('loading', () => {
  it('the shipped file is valid and has the documented defaults', () => {
    expect(p.timers).toEqual({ idleReminderMinutes: 10, closeIntakeMinutes: 30 });
    expect(p.returnWindow.noReasonDays).toBe(7);
    const needPhotos = Object.entries(p.categories).filter(([, c]) => c.evidence.minItems > 0).map(([c]) => c);
    expect(needPhotos.sort()).toEqual(['false_ad', 'quality', 'wrong_item']);
    expect(p.damageInTransit.evidence.minItems).toBe(1);
  });

  it.each([
    ['a missing category', (r: Policies) => Reflect.deleteProperty(r.categories, 'quality'), 'categories.quality'],
    ['an unknown resolution', (r: Policies) => (r.categories.service.resolutions = ['cash' as never]), 'categories.service.resolutions.0'],
    ['a window that disagrees with the no-reason days', (r: Policies) => (r.categories.no_fault_return.windowDays = 15), 'categories.no_fault_return.windowDays'],
    ['a close before the reminder', (r: Policies) => (r.timers.closeIntakeMinutes = 5), 'timers.closeIntakeMinutes'],
  ])('refuses %s with the path of the wrong field', (_, mutate, where) => {
    const r = raw();
    mutate(r);
    expect(() => parsePolicies(r, 'policies.json')).toThrow(PolicyError);
    expect(() => parsePolicies(r, 'policies.json')).toThrow(`policies.json: ${where}:`);
  });

  it('names the file when it is not JSON', () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pol-')), 'policies.json');
    fs.writeFileSync(bad, '{ not json');
    expect(() => loadPolicies(bad)).toThrow(/^policies\.json: /);
  });
});

describe('rules', () => {
  const facts = { category: 'quality' as const, risk: false, safetyHazard: false, damageInTransit: false, memberLevel: null };
  it('priority 1 for risk, safety hazard, false advertising and priority members; 2 otherwise', () => {
    expect(priorityFor(p, facts)).toEqual({ priority: 2, reasons: [] });
    expect(priorityFor(p, { ...facts, risk: true }).priority).toBe(1);
    expect(priorityFor(p, { ...facts, safetyHazard: true }).reasons).toEqual(['safety_hazard']);
    expect(priorityFor(p, { ...facts, category: 'false_ad' }).priority).toBe(1);
    expect(priorityFor(p, { ...facts, memberLevel: 'VIP' }).reasons).toEqual(['member:VIP']);
    expect(priorityFor(p, { ...facts, category: 'no_fault_return' }).priority).toBe(2);
  });

  it('per-category priority overrides come from the file', () => {
    const r = raw();
    r.priority.byCategory = { no_fault_return: 3 };
    expect(priorityFor(parsePolicies(r), { ...facts, category: 'no_fault_return' }).priority).toBe(3);
  });

  it('counts the no-reason window from sign-for, unknown without it, none for fault categories', () => {
    const now = Date.now();
    expect(windowVerdict(p, 'no_fault_return', now - 6 * DAY, now)).toMatchObject({ status: 'within', daysSince: 6 });
    expect(windowVerdict(p, 'no_fault_return', now - 8 * DAY, now)).toMatchObject({ status: 'expired', daysSince: 8 });
    expect(windowVerdict(p, 'no_fault_return', null, now)).toEqual({ status: 'unknown', days: 7 });
    expect(windowVerdict(p, 'quality', now - 30 * DAY, now)).toEqual({ status: 'none' });
  });

  it('damage in transit needs a photo; other delivery problems do not', () => {
    expect(evidenceRuleFor(p, 'logistics', false).minItems).toBe(0);
    expect(evidenceRuleFor(p, 'logistics', true).minItems).toBe(1);
  });
});

describe('answers and decisions come from the same file', () => {
  it('a shop with a 15-day window says 15 days and accepts a return on day 10', () => {
    const r = raw();
    r.returnWindow.noReasonDays = 15;
    r.categories.no_fault_return.windowDays = 15;
    const policies = parsePolicies(r);
    const signedAt = Date.now() - 10 * DAY;
    const sim = new Sim(nlu, { policies, orderChecks: { '6912000000000000090': { status: 'ok', signedAt, statusDesc: null, productName: null } } });
    expect(sim.say('七天无理由吗').text).toContain('15天');
    sim.say('不喜欢，想退货');
    const t = sim.say('6912000000000000090');
    expect(t.effect?.type).toBe('submit');
  });

  it('return shipping: the answer follows who pays in the file', () => {
    const r = raw();
    r.returnShipping.noFault = 'shop';
    const sim = new Sim(nlu, { policies: parsePolicies(r) });
    const text = sim.say('退货运费谁出').text;
    expect(text).not.toContain('您承担');
    expect(text).not.toContain('您出');
  });

  it('photo requirement: a category configured without photos skips the photo question', () => {
    const r = raw();
    r.categories.quality.evidence.minItems = 0;
    const sim = new Sim(nlu, { policies: parsePolicies(r) });
    expect(sim.say('订单6912000000000000091 衣服开线了，要换货').effect?.type).toBe('submit');
  });

  it('member privileges are listed from the file', () => {
    const sim = new Sim(nlu);
    const text = sim.say('会员有什么特权').text;
    expect(text).toContain('20元');
    expect(text).toContain('50元');
  });
});
