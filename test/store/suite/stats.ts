/**
 * Dashboard statistics: caseStats buckets, the period filter, grouping (with the China day boundary), spike
 * example lists, the showcase list and the bulk import the demo seed and the benchmark use. Expected numbers
 * are computed here from the seeded cases with plain JavaScript, independently of either adapter.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Case, CaseCategory, CaseStatus, Channel, Csat, SlaBreach, SlaState } from '../../../src/core/types.js';
import type { StatsBucket, StatsDimension, StatsQuery, Store } from '../../../src/store/types.js';
import type { GetStore } from './fixtures.js';
import { seedConversation } from './fixtures.js';

const H = 3600_000;
const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

interface Spec {
  at: number;
  channel?: Channel;
  category?: CaseCategory | null;
  status?: CaseStatus;
  csat?: Csat | null;
  reopenCount?: number;
  sla?: SlaState;
  data?: Record<string, unknown>;
}

/** An SLA state with these deadlines and breaches (the rest null). */
const slaOf = (due: Partial<SlaState>, breaches: SlaBreach[] = []): SlaState => ({
  firstResponseDue: null, nextResponseDue: null, resolutionDue: null, decisionDue: null, ...due, breaches,
});
const firstBreach = (at: number): SlaBreach => ({ type: 'first', at: iso(at), anchor: iso(at - H), agent: null });

export function statsCase(conversationId: string, s: Spec): Case {
  return {
    id: randomUUID(),
    channel: s.channel ?? 'wecom',
    customerId: `u-${randomUUID().slice(0, 8)}`,
    conversationId,
    category: s.category === undefined ? 'quality' : s.category,
    orderId: null,
    description: '杯子漏水',
    evidence: [],
    resolution: null,
    status: s.status ?? 'open',
    priority: 2,
    risk: false,
    assignee: null,
    csat: s.csat ?? null,
    reopenCount: s.reopenCount ?? 0,
    sla: s.sla ?? null,
    steps: [],
    data: s.data ?? {},
    version: 1,
    createdAt: iso(s.at),
    updatedAt: iso(s.at),
  };
}

/** The reference definitions (src/store/types.ts StatsBucket), written out plainly. */
function expectedBucket(cases: Case[]): Omit<StatsBucket, 'key'> {
  const t = (v: unknown): number | null => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null);
  const b: Omit<StatsBucket, 'key'> = {
    cases: 0, resolved: 0, botResolved: 0, escalated: 0, everResolved: 0, reopened: 0, firstResponseCount: 0,
    firstResponseMsSum: 0, resolutionCount: 0, resolutionMsSum: 0, slaSettled: 0, slaMet: 0, csatCount: 0, csatSum: 0,
    csat: [0, 0, 0, 0, 0],
  };
  for (const c of cases) {
    const d = c.data;
    const done = c.status === 'resolved' || c.status === 'closed';
    const escalated = (d.firstEscalatedAt ?? d.escalatedAt ?? null) !== null;
    b.cases += 1;
    if (done) b.resolved += 1;
    if (done && !escalated) b.botResolved += 1;
    if (escalated) b.escalated += 1;
    if (done || c.reopenCount > 0) b.everResolved += 1;
    if (c.reopenCount > 0) b.reopened += 1;
    const first = t(d.firstResponseAt);
    const base = t(d.firstEscalatedAt ?? d.escalatedAt ?? c.createdAt);
    if (first !== null && base !== null) {
      b.firstResponseCount += 1;
      b.firstResponseMsSum += first - base;
    }
    const end = t(d.resolvedAt ?? d.closedAt);
    if (done && end !== null) {
      b.resolutionCount += 1;
      b.resolutionMsSum += end - Date.parse(c.createdAt);
    }
    if (c.sla) {
      const breaches = c.sla.breaches.length;
      if (breaches > 0 || done) b.slaSettled += 1;
      if (breaches === 0 && done) b.slaMet += 1;
    }
    if (c.csat !== null) {
      b.csatCount += 1;
      b.csatSum += c.csat;
      b.csat[c.csat - 1] = (b.csat[c.csat - 1] ?? 0) + 1;
    }
  }
  return b;
}

const strip = ({ key: _key, ...rest }: StatsBucket): Omit<StatsBucket, 'key'> => rest;

function randomCases(conversationId: string, n: number, seed: number): Case[] {
  let x = seed;
  const rnd = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const out: Case[] = [];
  for (let i = 0; i < n; i++) {
    const at = T0 + Math.floor(rnd() * 28 * 24 * H);
    const status = pick<CaseStatus>(['open', 'escalated', 'assigned', 'resolved', 'closed', 'closed']);
    const escalated = rnd() < 0.5;
    const data: Record<string, unknown> = {};
    let sla: SlaState | undefined;
    if (rnd() < 0.9) data.order = { orderId: `69${i}`, productName: pick(['保温杯', '羽绒服', '面膜']) };
    if (rnd() < 0.7) data.carrier = pick(['中通', '圆通', '顺丰']);
    if (escalated) {
      data.firstEscalatedAt = iso(at + 60_000);
      data.escalatedAt = iso(at + 120_000);
      if (rnd() < 0.8) data.firstResponseAt = iso(at + 60_000 + Math.floor(rnd() * H));
      sla = slaOf({ firstResponseDue: iso(at + H), resolutionDue: iso(at + 24 * H) }, rnd() < 0.3 ? [firstBreach(at + H)] : []);
    }
    if (status === 'resolved' || status === 'closed') {
      if (rnd() < 0.9) data.resolvedAt = iso(at + Math.floor(rnd() * 48 * H));
      else data.closedAt = iso(at + 72 * H);
    }
    out.push(
      statsCase(conversationId, {
        at,
        channel: pick<Channel>(['wecom', 'douyin', 'web']),
        category: pick<CaseCategory | null>(['quality', 'logistics', 'wrong_item', null]),
        status,
        csat: status === 'closed' && rnd() < 0.7 ? (pick([1, 2, 3, 4, 5]) as Csat) : null,
        reopenCount: rnd() < 0.1 ? 1 : 0,
        ...(sla ? { sla } : {}),
        data,
      }),
    );
  }
  return out;
}

async function seedCases(store: Store, make: (conversationId: string) => Case[]): Promise<Case[]> {
  const { conversation } = await seedConversation(store);
  const cases = make(conversation.id);
  await store.importCases(cases);
  return cases;
}

export function statsTests(store: GetStore): void {
  describe('dashboard statistics', () => {
    it('importCases writes complete cases as given, createdAt included', async () => {
      const cases = await seedCases(store(), (conv) => [
        statsCase(conv, { at: T0, status: 'closed', csat: 5, data: { order: { productName: '面膜' }, carrier: '顺丰' } }),
        statsCase(conv, { at: T0 + H, channel: 'douyin', category: null, sla: slaOf({ firstResponseDue: iso(T0 + 2 * H) }, [firstBreach(T0 + 2 * H)]) }),
      ]);
      for (const c of cases) expect(await store().getCase(c.id)).toEqual(c);
      expect((await store().listCases({ channel: 'douyin' })).items.map((c) => c.id)).toEqual([cases[1]?.id]);
      await expect(store().importCases([])).resolves.toBeUndefined();
    });

    it('sums one hand-made set exactly', async () => {
      await seedCases(store(), (conv) => [
        // Bot alone: closed, never escalated; resolution 2 h; rated 5.
        statsCase(conv, { at: T0, status: 'closed', csat: 5, data: { resolvedAt: iso(T0 + 2 * H), closedAt: iso(T0 + 50 * H) } }),
        // Escalated, answered after 30 min, resolved after 5 h within SLA, rated 4, reopened once.
        statsCase(conv, {
          at: T0 + H,
          status: 'resolved',
          csat: 4,
          reopenCount: 1,
          sla: slaOf({ firstResponseDue: iso(T0 + 2 * H), resolutionDue: iso(T0 + 25 * H) }),
          data: {
            firstEscalatedAt: iso(T0 + H + 60_000),
            firstResponseAt: iso(T0 + H + 60_000 + 30 * 60_000),
            resolvedAt: iso(T0 + 6 * H),
          },
        }),
        // Escalated, still open, first-response SLA already breached.
        statsCase(conv, {
          at: T0 + 2 * H,
          status: 'assigned',
          sla: slaOf({}, [firstBreach(T0 + 3 * H)]),
          data: { firstEscalatedAt: iso(T0 + 2 * H) },
        }),
        // Escalated and open within SLA: not settled yet. Closed without resolvedAt: closedAt is the end.
        statsCase(conv, { at: T0 + 3 * H, status: 'escalated', sla: slaOf({}), data: { escalatedAt: iso(T0 + 3 * H) } }),
        statsCase(conv, { at: T0 + 4 * H, status: 'closed', csat: 1, data: { closedAt: iso(T0 + 7 * H) } }),
        // Outside the period.
        statsCase(conv, { at: T0 + 30 * 24 * H, status: 'closed', csat: 5 }),
      ]);
      const [total, ...rest] = await store().caseStats({ from: iso(T0), to: iso(T0 + 24 * H) });
      expect(rest).toEqual([]);
      expect(total).toEqual({
        key: {},
        cases: 5,
        resolved: 3,
        botResolved: 2,
        escalated: 3,
        everResolved: 3,
        reopened: 1,
        firstResponseCount: 1,
        firstResponseMsSum: 30 * 60_000,
        resolutionCount: 3,
        resolutionMsSum: 2 * H + 5 * H + 3 * H,
        slaSettled: 2,
        slaMet: 1,
        csatCount: 3,
        csatSum: 10,
        csat: [1, 0, 0, 1, 1],
      });
      expect(await store().caseStats({ from: iso(T0 + 100 * 24 * H), to: iso(T0 + 101 * 24 * H) })).toEqual([]);
    });

    it('groups 400 random cases by any dimensions exactly as a plain computation does', async () => {
      const cases = await seedCases(store(), (conv) => randomCases(conv, 400, 7));
      const from = iso(T0 + 2 * 24 * H);
      const to = iso(T0 + 23 * 24 * H);
      const inPeriod = cases.filter((c) => c.createdAt >= from && c.createdAt < to);
      const keyOf = (c: Case, dims: StatsDimension[]): string =>
        JSON.stringify(
          dims.map((d) => {
            const order = c.data.order as { productName?: string } | undefined;
            if (d === 'category') return c.category;
            if (d === 'channel') return c.channel;
            if (d === 'product') return order?.productName ?? null;
            if (d === 'carrier') return (c.data.carrier as string | undefined) ?? null;
            if (d === 'day') return iso(Date.parse(c.createdAt) + 8 * H).slice(0, 10);
            return Math.floor((Date.parse(c.createdAt) - Date.parse(from)) / (7 * 24 * H));
          }),
        );
      for (const dims of [[], ['category'], ['channel', 'product'], ['category', 'channel', 'product'], ['day'], ['week', 'carrier']] as StatsDimension[][]) {
        const got = await store().caseStats({ from, to, groupBy: dims });
        const groups = new Map<string, Case[]>();
        for (const c of inPeriod) groups.set(keyOf(c, dims), [...(groups.get(keyOf(c, dims)) ?? []), c]);
        expect(got.length, dims.join('+')).toBe(groups.size);
        for (const b of got) {
          const k = JSON.stringify(dims.map((d) => b.key[d] ?? null));
          expect(strip(b), `${dims.join('+')} ${k}`).toEqual(expectedBucket(groups.get(k) ?? []));
          expect(Object.keys(b.key).sort()).toEqual([...dims].sort());
        }
      }
      const narrowed: StatsQuery = { from, to, channel: 'douyin', category: 'quality', product: '保温杯', groupBy: ['carrier'] };
      const expected = inPeriod.filter(
        (c) => c.channel === 'douyin' && c.category === 'quality' && (c.data.order as { productName?: string } | undefined)?.productName === '保温杯',
      );
      const got = await store().caseStats(narrowed);
      expect(got.reduce((n, b) => n + b.cases, 0)).toBe(expected.length);
      const zto = await store().caseStats({ ...narrowed, carrier: '中通', groupBy: [] });
      expect(zto.map(strip)).toEqual(
        expected.some((c) => c.data.carrier === '中通') ? [expectedBucket(expected.filter((c) => c.data.carrier === '中通'))] : [],
      );
    });

    it('counts only when asked: the same groups, every other number 0', async () => {
      const cases = await seedCases(store(), (conv) => randomCases(conv, 120, 11));
      const q: StatsQuery = { from: iso(T0), to: iso(T0 + 28 * 24 * H), groupBy: ['week', 'category', 'product', 'carrier'] };
      const full = await store().caseStats(q);
      const counted = await store().caseStats({ ...q, countOnly: true });
      expect(counted.map((b) => b.key)).toEqual(full.map((b) => b.key));
      expect(counted.map((b) => b.cases)).toEqual(full.map((b) => b.cases));
      expect(counted.reduce((n, b) => n + b.cases, 0)).toBe(cases.length);
      expect(counted.every((b) => b.resolved === 0 && b.csatCount === 0 && b.csat.every((x) => x === 0))).toBe(true);
    });

    it('puts days on the China calendar by default, or on the offset asked for; the period end is exclusive', async () => {
      await seedCases(store(), (conv) => [
        statsCase(conv, { at: Date.parse('2026-03-01T15:59:59.999Z') }),
        statsCase(conv, { at: Date.parse('2026-03-01T16:00:00.000Z') }),
        statsCase(conv, { at: Date.parse('2026-03-02T15:00:00.000Z') }),
        statsCase(conv, { at: Date.parse('2026-03-03T00:00:00.000Z') }),
      ]);
      const q = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' };
      const china = await store().caseStats({ ...q, groupBy: ['day'] });
      expect(china.map((b) => [b.key.day, b.cases])).toEqual([
        ['2026-03-01', 1],
        ['2026-03-02', 2],
      ]);
      const utc = await store().caseStats({ ...q, groupBy: ['day'], tzOffsetMinutes: 0 });
      expect(utc.map((b) => [b.key.day, b.cases])).toEqual([
        ['2026-03-01', 2],
        ['2026-03-02', 1],
      ]);
      const weeks = await store().caseStats({ from: '2026-02-23T00:00:00.000Z', to: '2026-03-09T00:00:00.000Z', groupBy: ['week'] });
      expect(weeks.map((b) => [b.key.week, b.cases])).toEqual([
        [0, 2],
        [1, 2],
      ]);
    });

    it('follows case updates: a later escalation and rating change the numbers', async () => {
      const [c] = await seedCases(store(), (conv) => [statsCase(conv, { at: T0, status: 'resolved', data: { resolvedAt: iso(T0 + H) } })]);
      const q = { from: iso(T0), to: iso(T0 + H) };
      expect((await store().caseStats(q))[0]).toMatchObject({ botResolved: 1, escalated: 0, csatCount: 0 });
      const updated = await store().updateCase(c?.id ?? '', 1, { csat: 2, data: { ...c?.data, firstEscalatedAt: iso(T0 + 60_000) } });
      expect(updated).not.toBeNull();
      expect((await store().caseStats(q))[0]).toMatchObject({ botResolved: 0, escalated: 1, csatCount: 1, csatSum: 2, csat: [0, 1, 0, 0, 0] });
    });

    it('lists the cases of a filtered period newest first, for spike examples', async () => {
      const cases = await seedCases(store(), (conv) =>
        Array.from({ length: 6 }, (_, i) =>
          statsCase(conv, { at: T0 + i * H, data: { order: { productName: i % 2 === 0 ? '保温杯' : '面膜' }, carrier: '圆通' } }),
        ),
      );
      const cups = await store().listStatsCases({ from: iso(T0), to: iso(T0 + 5 * H), product: '保温杯', carrier: '圆通', limit: 10 });
      expect(cups.map((c) => c.id)).toEqual([cases[4]?.id, cases[2]?.id, cases[0]?.id]);
      expect(cups[0]).toEqual(cases[4]);
      expect(await store().listStatsCases({ from: iso(T0), to: iso(T0 + 9 * H), limit: 2 })).toHaveLength(2);
      expect(await store().listStatsCases({ from: iso(T0), to: iso(T0 + 9 * H), category: 'logistics' })).toEqual([]);
    });

    it('lists showcase reviews: rated 4–5 with consent, newest first, within the period', async () => {
      const show = (at: number, csat: Csat, consent: boolean) => ({ csat, status: 'closed' as const, data: { showcase: { consent, words: '很好', at: iso(at) } } });
      const cases = await seedCases(store(), (conv) => [
        statsCase(conv, { at: T0, ...show(T0 + 5 * H, 5, true) }),
        statsCase(conv, { at: T0, ...show(T0 + 6 * H, 4, true) }),
        statsCase(conv, { at: T0, ...show(T0 + 7 * H, 3, true) }),
        statsCase(conv, { at: T0, ...show(T0 + 8 * H, 5, false) }),
        statsCase(conv, { at: T0, csat: 5, status: 'closed' }),
        statsCase(conv, { at: T0, ...show(T0 + 30 * 24 * H, 5, true) }),
      ]);
      const all = await store().listShowcase({});
      expect(all.map((c) => c.id)).toEqual([cases[5]?.id, cases[1]?.id, cases[0]?.id]);
      const period = await store().listShowcase({ from: iso(T0), to: iso(T0 + 24 * H) });
      expect(period.map((c) => c.id)).toEqual([cases[1]?.id, cases[0]?.id]);
      expect(await store().listShowcase({ limit: 1 })).toEqual([cases[5]]);
    });
  });
}
