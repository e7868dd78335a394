/**
 * From the store's additive buckets to the numbers a manager reads: rates, averages, shares. Buckets are summed
 * first (roll-up), then divided once, so a total is never an average of averages.
 */
import type { StatsBucket, StatsDimension } from '../store/types.js';

export type Counts = Omit<StatsBucket, 'key'>;

export interface Metrics {
  cases: number;
  /** Of the total of the view (grouped rows only). */
  share: number | null;
  resolved: number;
  /** Resolved or closed without ever reaching a person, of all resolved. */
  botResolvedShare: number | null;
  /** Cases that reached the human queue, of all cases. */
  escalatedShare: number | null;
  firstResponseAvgMinutes: number | null;
  resolutionAvgHours: number | null;
  /** Settled cases with service levels that met them (no breach). */
  slaMetShare: number | null;
  slaSettled: number;
  csatAvg: number | null;
  csatCount: number;
  /** Scores 4 and 5, of all scores. */
  csatSatisfiedShare: number | null;
  /** How many scores of 1, 2, 3, 4, 5. */
  csatDistribution: [number, number, number, number, number];
  /** Cases reopened at least once, of cases ever resolved. */
  reopenRate: number | null;
}

export const emptyCounts = (): Counts => ({
  cases: 0, resolved: 0, botResolved: 0, escalated: 0, everResolved: 0, reopened: 0, firstResponseCount: 0, firstResponseMsSum: 0,
  resolutionCount: 0, resolutionMsSum: 0, slaSettled: 0, slaMet: 0, csatCount: 0, csatSum: 0, csat: [0, 0, 0, 0, 0],
});

export function addCounts(into: Counts, b: Counts): Counts {
  into.cases += b.cases;
  into.resolved += b.resolved;
  into.botResolved += b.botResolved;
  into.escalated += b.escalated;
  into.everResolved += b.everResolved;
  into.reopened += b.reopened;
  into.firstResponseCount += b.firstResponseCount;
  into.firstResponseMsSum += b.firstResponseMsSum;
  into.resolutionCount += b.resolutionCount;
  into.resolutionMsSum += b.resolutionMsSum;
  into.slaSettled += b.slaSettled;
  into.slaMet += b.slaMet;
  into.csatCount += b.csatCount;
  into.csatSum += b.csatSum;
  for (let i = 0; i < 5; i++) into.csat[i] = (into.csat[i] ?? 0) + (b.csat[i] ?? 0);
  return into;
}

export const sumBuckets = (buckets: Counts[]): Counts => buckets.reduce((acc, b) => addCounts(acc, b), emptyCounts());

/** Sums buckets by one of their key dimensions; the map keeps first-seen order. */
export function rollup(buckets: StatsBucket[], dim: StatsDimension): Map<string | number | null, Counts> {
  const out = new Map<string | number | null, Counts>();
  for (const b of buckets) {
    const k = b.key[dim] ?? null;
    const acc = out.get(k) ?? emptyCounts();
    out.set(k, addCounts(acc, b));
  }
  return out;
}

const ratio = (n: number, d: number, digits = 4): number | null => (d > 0 ? round(n / d, digits) : null);
export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function metricsOf(c: Counts, total?: number): Metrics {
  return {
    cases: c.cases,
    share: total === undefined ? null : ratio(c.cases, total),
    resolved: c.resolved,
    botResolvedShare: ratio(c.botResolved, c.resolved),
    escalatedShare: ratio(c.escalated, c.cases),
    firstResponseAvgMinutes: ratio(c.firstResponseMsSum / 60_000, c.firstResponseCount, 1),
    resolutionAvgHours: ratio(c.resolutionMsSum / 3_600_000, c.resolutionCount, 1),
    slaMetShare: ratio(c.slaMet, c.slaSettled),
    slaSettled: c.slaSettled,
    csatAvg: ratio(c.csatSum, c.csatCount, 2),
    csatCount: c.csatCount,
    csatSatisfiedShare: ratio((c.csat[3] ?? 0) + (c.csat[4] ?? 0), c.csatCount),
    csatDistribution: [...c.csat],
    reopenRate: ratio(c.reopened, c.everResolved),
  };
}
