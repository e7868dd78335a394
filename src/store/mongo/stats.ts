/**
 * Dashboard queries on MongoDB: one aggregation per call. `$match` on the period uses the createdAt indexes;
 * a `$project` turns each case into 0/1 flags and durations, and `$group` sums them, so the server returns one
 * document per group. The same definitions as src/store/sqlite/stats.ts (the conformance suite checks both).
 * Dates are stored as ISO strings and parsed with `$dateFromString` (invalid or missing → null, like julianday).
 */
import mongoose from 'mongoose';
import type { Model, PipelineStage } from 'mongoose';
import type { Case, CaseCategory, Channel } from '../../core/types.js';
import { clampLimit, LIST_MAX } from '../paging.js';
import type { StatsBucket, StatsDimension, StatsFilter, StatsQuery } from '../types.js';
import { fromDoc } from './models.js';
import type { CaseDoc } from './models.js';

const WEEK_MS = 7 * 24 * 3600 * 1000;

const date = (value: unknown): Record<string, unknown> => ({ $dateFromString: { dateString: value, onError: null, onNull: null } });
const flag = (cond: unknown): Record<string, unknown> => ({ $cond: [cond, 1, 0] });

const DONE = { $in: ['$status', ['resolved', 'closed']] };
const ESCALATED = { $ne: [{ $ifNull: ['$data.firstEscalatedAt', '$data.escalatedAt', null] }, null] };
const SLA_BREACHES = {
  $cond: [
    { $eq: [{ $type: '$sla' }, 'object'] },
    { $cond: [{ $isArray: '$sla.breaches' }, { $size: '$sla.breaches' }, 0] },
    null,
  ],
};

/** `+08:00` from minutes east of UTC. */
function tzOf(minutes: number): string {
  const m = Math.abs(Math.trunc(minutes));
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function dimensionExpr(dim: StatsDimension, q: StatsQuery): unknown {
  switch (dim) {
    case 'day':
      return { $dateToString: { format: '%Y-%m-%d', date: date('$createdAt'), timezone: tzOf(q.tzOffsetMinutes ?? 480) } };
    case 'week':
      return { $floor: { $divide: [{ $subtract: [date('$createdAt'), new Date(q.from)] }, WEEK_MS] } };
    case 'category':
      return { $ifNull: ['$category', null] };
    case 'channel':
      return '$channel';
    case 'product':
      return { $ifNull: ['$data.order.productName', null] };
    case 'carrier':
      return { $ifNull: ['$data.carrier', null] };
  }
}

/** Equality values are forced to strings: they come from requests, and an object there would be an operator. */
function matchOf(f: StatsFilter): Record<string, unknown> {
  const match: Record<string, unknown> = { createdAt: { $gte: String(f.from), $lt: String(f.to) } };
  if (f.channel !== undefined) match.channel = String(f.channel);
  if (f.category !== undefined) match.category = String(f.category);
  if (f.product !== undefined) match['data.order.productName'] = String(f.product);
  if (f.carrier !== undefined) match['data.carrier'] = String(f.carrier);
  return match;
}

interface Grouped {
  _id: Record<string, string | number | null> | null;
  cases: number;
  resolved: number;
  botResolved: number;
  escalated: number;
  everResolved: number;
  reopened: number;
  frtCount: number;
  frtSum: number;
  resCount: number;
  resSum: number;
  slaSettled: number;
  slaMet: number;
  csatCount: number;
  csatSum: number;
  c1: number;
  c2: number;
  c3: number;
  c4: number;
  c5: number;
}

export async function caseStats(cases: Model<CaseDoc>, q: StatsQuery): Promise<StatsBucket[]> {
  const dims = [...new Set(q.groupBy ?? [])];
  const keys: Record<string, unknown> = {};
  for (const d of dims) keys[d] = dimensionExpr(d, q);
  const csat = { $ifNull: ['$csat', null] };
  const pipeline: PipelineStage[] = [
    { $match: matchOf(q) },
    {
      $project: {
        _id: 0,
        // An empty sub-document is not a valid projection: no dimensions means one group.
        k: dims.length > 0 ? keys : { $literal: null },
        done: flag(DONE),
        bot: flag({ $and: [DONE, { $not: [ESCALATED] }] }),
        esc: flag(ESCALATED),
        ever: flag({ $or: [DONE, { $gt: ['$reopenCount', 0] }] }),
        reopened: flag({ $gt: ['$reopenCount', 0] }),
        frt: {
          $subtract: [
            date('$data.firstResponseAt'),
            date({ $ifNull: ['$data.firstEscalatedAt', '$data.escalatedAt', '$createdAt'] }),
          ],
        },
        res: {
          $cond: [DONE, { $subtract: [date({ $ifNull: ['$data.resolvedAt', '$data.closedAt', null] }), date('$createdAt')] }, null],
        },
        sla: SLA_BREACHES,
        csat,
      },
    },
    {
      $group: {
        _id: '$k',
        cases: { $sum: 1 },
        resolved: { $sum: '$done' },
        botResolved: { $sum: '$bot' },
        escalated: { $sum: '$esc' },
        everResolved: { $sum: '$ever' },
        reopened: { $sum: '$reopened' },
        frtCount: { $sum: flag({ $ne: [{ $ifNull: ['$frt', null] }, null] }) },
        frtSum: { $sum: '$frt' },
        resCount: { $sum: flag({ $ne: [{ $ifNull: ['$res', null] }, null] }) },
        resSum: { $sum: '$res' },
        slaSettled: { $sum: flag({ $or: [{ $gt: ['$sla', 0] }, { $and: [{ $eq: ['$sla', 0] }, { $eq: ['$done', 1] }] }] }) },
        slaMet: { $sum: flag({ $and: [{ $eq: ['$sla', 0] }, { $eq: ['$done', 1] }] }) },
        csatCount: { $sum: flag({ $gte: ['$csat', 1] }) },
        csatSum: { $sum: '$csat' },
        c1: { $sum: flag({ $eq: ['$csat', 1] }) },
        c2: { $sum: flag({ $eq: ['$csat', 2] }) },
        c3: { $sum: flag({ $eq: ['$csat', 3] }) },
        c4: { $sum: flag({ $eq: ['$csat', 4] }) },
        c5: { $sum: flag({ $eq: ['$csat', 5] }) },
      },
    },
  ];
  const counting: PipelineStage[] = [{ $match: matchOf(q) }, { $group: { _id: dims.length > 0 ? keys : null, cases: { $sum: 1 } } }];
  const rows = await cases.aggregate<Grouped>(q.countOnly ? counting : pipeline);
  const buckets = rows.map((r) => toBucket(dims, r));
  return buckets.sort((a, b) => compareKeys(dims, a.key, b.key));
}

function toBucket(dims: StatsDimension[], r: Grouped): StatsBucket {
  const key: StatsBucket['key'] = {};
  for (const d of dims) {
    const v = r._id?.[d] ?? null;
    if (d === 'day') key.day = String(v);
    else if (d === 'week') key.week = Number(v);
    else if (d === 'category') key.category = v as CaseCategory | null;
    else if (d === 'channel') key.channel = v as Channel;
    else key[d] = v === null ? null : String(v);
  }
  const n = (x: number | null | undefined): number => Number(x ?? 0);
  return {
    key,
    cases: n(r.cases),
    resolved: n(r.resolved),
    botResolved: n(r.botResolved),
    escalated: n(r.escalated),
    everResolved: n(r.everResolved),
    reopened: n(r.reopened),
    firstResponseCount: n(r.frtCount),
    firstResponseMsSum: n(r.frtSum),
    resolutionCount: n(r.resCount),
    resolutionMsSum: n(r.resSum),
    slaSettled: n(r.slaSettled),
    slaMet: n(r.slaMet),
    csatCount: n(r.csatCount),
    csatSum: n(r.csatSum),
    csat: [n(r.c1), n(r.c2), n(r.c3), n(r.c4), n(r.c5)],
  };
}

/** SQLite's ORDER BY: nulls first, then numbers or strings by code unit. */
function compareKeys(dims: StatsDimension[], a: StatsBucket['key'], b: StatsBucket['key']): number {
  for (const d of dims) {
    const x = a[d] ?? null;
    const y = b[d] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export async function listStatsCases(cases: Model<CaseDoc>, f: StatsFilter & { limit?: number }): Promise<Case[]> {
  const query: Record<string, unknown> = { ...matchOf(f), createdAt: mongoose.trusted({ $gte: f.from, $lt: f.to }) };
  const docs = await cases
    .find(query)
    .sort({ createdAt: -1, _id: -1 })
    .limit(clampLimit(f.limit, 20, 200))
    .lean<CaseDoc[]>();
  return docs.map((d) => fromDoc(d));
}

export async function listShowcase(cases: Model<CaseDoc>, f: { from?: string; to?: string; limit?: number }): Promise<Case[]> {
  const at: Record<string, string> = { $type: 'string' };
  if (f.from !== undefined) at.$gte = f.from;
  if (f.to !== undefined) at.$lt = f.to;
  const docs = await cases
    .find({ 'data.showcase.consent': true, csat: mongoose.trusted({ $gte: 4 }), 'data.showcase.at': mongoose.trusted(at) })
    .sort({ 'data.showcase.at': -1, _id: -1 })
    .limit(clampLimit(f.limit, 100, LIST_MAX))
    .lean<CaseDoc[]>();
  return docs.map((d) => fromDoc(d));
}

/** Batches of 1000, in order; no transaction (the Store never uses multi-document transactions). */
export async function importCases(cases: Model<CaseDoc>, items: Case[]): Promise<void> {
  for (let i = 0; i < items.length; i += 1000) {
    const docs = items.slice(i, i + 1000).map(({ id, ...rest }) => ({ _id: id, ...rest }));
    await cases.insertMany(docs, { ordered: true });
  }
}
