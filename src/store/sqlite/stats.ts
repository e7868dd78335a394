/**
 * Dashboard queries on SQLite. Every query reads the `cases_stats` index alone (migrations 3 and 10): the period is a
 * range on its first column and every aggregated value is a column of it, so no JSON is parsed at query time.
 * Grouping happens in SQL; the rows returned are one per group, never one per case.
 */
import type { Case, CaseCategory, Channel } from '../../core/types.js';
import { clampLimit, LIST_MAX } from '../paging.js';
import type { StatsBucket, StatsDimension, StatsFilter, StatsQuery } from '../types.js';
import { caseInsertColumns } from './columns.js';
import * as row from './rows.js';
import type { SqlValue } from './rows.js';
import type { Sql } from './sql.js';

/** Resolved or closed, as an integer column of the index (comparing strings per row costs more than it reads). */
const DONE = 'st_done';

/** Column expression of each dimension; `@tz` and `@from` are bound only when used. */
const DIMENSION_SQL: Record<StatsDimension, string> = {
  day: 'date(created_at, @tz)',
  week: 'CAST((julianday(created_at) - julianday(@from)) / 7 AS INTEGER)',
  category: 'category',
  channel: 'channel',
  product: 'st_product',
  carrier: 'st_carrier',
};

const MEASURE_LIST: [expression: string, name: string][] = [
  ['COUNT(*)', 'cases'],
  [`TOTAL(${DONE})`, 'resolved'],
  [`TOTAL(${DONE} AND st_escalated = 0)`, 'bot_resolved'],
  ['TOTAL(st_escalated)', 'escalated'],
  [`TOTAL(${DONE} OR reopen_count > 0)`, 'ever_resolved'],
  ['TOTAL(reopen_count > 0)', 'reopened'],
  ['COUNT(st_frt_ms)', 'frt_count'],
  ['TOTAL(st_frt_ms)', 'frt_sum'],
  ['COUNT(st_resolve_ms)', 'res_count'],
  ['TOTAL(st_resolve_ms)', 'res_sum'],
  [`TOTAL(st_sla_breaches > 0 OR (st_sla_breaches = 0 AND ${DONE}))`, 'sla_settled'],
  [`TOTAL(st_sla_breaches = 0 AND ${DONE})`, 'sla_met'],
  ['COUNT(csat)', 'csat_count'],
  ['TOTAL(csat)', 'csat_sum'],
  ...[1, 2, 3, 4, 5].map((n): [string, string] => [`TOTAL(csat = ${n})`, `c${n}`]),
];
const MEASURES = MEASURE_LIST.map(([e, n]) => `${e} AS ${n}`).join(', ');
/** The same columns with only `cases` counted. */
const COUNT_ONLY = MEASURE_LIST.map(([e, n], i) => `${i === 0 ? e : '0'} AS ${n}`).join(', ');

interface MeasureCols {
  cases: number;
  resolved: number;
  bot_resolved: number;
  escalated: number;
  ever_resolved: number;
  reopened: number;
  frt_count: number;
  frt_sum: number;
  res_count: number;
  res_sum: number;
  sla_settled: number;
  sla_met: number;
  csat_count: number;
  csat_sum: number;
  c1: number;
  c2: number;
  c3: number;
  c4: number;
  c5: number;
}

type Where = { sql: string; params: Record<string, SqlValue> };

function whereOf(f: StatsFilter): Where {
  const terms = ['created_at >= @from', 'created_at < @to'];
  const params: Record<string, SqlValue> = { from: f.from, to: f.to };
  const eq = (column: string, name: string, value: string | undefined): void => {
    if (value === undefined) return;
    terms.push(`${column} = @${name}`);
    params[name] = value;
  };
  eq('channel', 'channel', f.channel);
  eq('category', 'category', f.category);
  eq('st_product', 'product', f.product);
  eq('st_carrier', 'carrier', f.carrier);
  return { sql: terms.join(' AND '), params };
}

/** `+480 minutes` for date(); SQLite applies the modifier before taking the date. */
const tzModifier = (minutes: number): string => `${minutes >= 0 ? '+' : '-'}${Math.abs(Math.trunc(minutes))} minutes`;

export function caseStats(q: Sql, query: StatsQuery): StatsBucket[] {
  const dims = [...new Set(query.groupBy ?? [])];
  const where = whereOf(query);
  const params = { ...where.params };
  if (dims.includes('day')) params.tz = tzModifier(query.tzOffsetMinutes ?? 480);
  const keys = dims.map((d, i) => `${DIMENSION_SQL[d]} AS k${i}`);
  const sql =
    `SELECT ${[...keys, query.countOnly ? COUNT_ONLY : MEASURES].join(', ')} FROM cases INDEXED BY cases_stats WHERE ${where.sql}` +
    (dims.length > 0 ? ` GROUP BY ${dims.map((_, i) => `k${i}`).join(', ')} ORDER BY ${dims.map((_, i) => `k${i}`).join(', ')}` : '');
  const rows = q.all<MeasureCols & Record<string, string | number | null>>(sql, params);
  return rows
    .filter((r) => r.cases > 0)
    .map((r) => {
      const key: StatsBucket['key'] = {};
      dims.forEach((d, i) => setKey(key, d, r[`k${i}`] ?? null));
      return toBucket(key, r);
    });
}

function setKey(key: StatsBucket['key'], dim: StatsDimension, value: string | number | null): void {
  switch (dim) {
    case 'day':
      key.day = String(value);
      break;
    case 'week':
      key.week = Number(value);
      break;
    case 'category':
      key.category = value as CaseCategory | null;
      break;
    case 'channel':
      key.channel = value as Channel;
      break;
    case 'product':
      key.product = value === null ? null : String(value);
      break;
    case 'carrier':
      key.carrier = value === null ? null : String(value);
      break;
  }
}

function toBucket(key: StatsBucket['key'], r: MeasureCols): StatsBucket {
  return {
    key,
    cases: r.cases,
    resolved: r.resolved,
    botResolved: r.bot_resolved,
    escalated: r.escalated,
    everResolved: r.ever_resolved,
    reopened: r.reopened,
    firstResponseCount: r.frt_count,
    firstResponseMsSum: r.frt_sum,
    resolutionCount: r.res_count,
    resolutionMsSum: r.res_sum,
    slaSettled: r.sla_settled,
    slaMet: r.sla_met,
    csatCount: r.csat_count,
    csatSum: r.csat_sum,
    csat: [r.c1, r.c2, r.c3, r.c4, r.c5],
  };
}

export function listStatsCases(q: Sql, filter: StatsFilter & { limit?: number }): Case[] {
  const where = whereOf(filter);
  const limit = clampLimit(filter.limit, 20, 200);
  const sql = `SELECT * FROM cases INDEXED BY cases_stats WHERE ${where.sql} ORDER BY created_at DESC, id DESC LIMIT @limit`;
  return q.list(row.toCase, sql, { ...where.params, limit });
}

export function listShowcase(q: Sql, filter: { from?: string; to?: string; limit?: number }): Case[] {
  const terms = ['st_showcase_at IS NOT NULL'];
  const params: Record<string, SqlValue> = { limit: clampLimit(filter.limit, 100, LIST_MAX) };
  if (filter.from !== undefined) {
    terms.push('st_showcase_at >= @from');
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    terms.push('st_showcase_at < @to');
    params.to = filter.to;
  }
  const sql = `SELECT * FROM cases WHERE ${terms.join(' AND ')} ORDER BY st_showcase_at DESC, id DESC LIMIT @limit`;
  return q.list(row.toCase, sql, params);
}

/** One transaction: a crash leaves either every case or none. */
export function importCases(q: Sql, cases: Case[]): void {
  q.db.transaction(() => {
    for (const c of cases) q.insert('cases', caseInsertColumns(c));
  })();
}
