/**
 * The dashboard's filters: a period of shop-local days (China, UTC+8, no daylight saving) and optional channel
 * and category. Query strings are parsed here once; the rest of analytics works on a validated StatsFilter.
 */
import { badRequest } from '../core/errors.js';
import { CASE_CATEGORIES, CHANNELS, type CaseCategory, type Channel } from '../core/types.js';
import type { StatsFilter } from '../store/types.js';

/** Shop time: every day bucket and every "this week" is on the China calendar. */
export const SHOP_TZ_MINUTES = 480;
export const DAY_MS = 24 * 3600 * 1000;
export const WEEK_MS = 7 * DAY_MS;
const OFFSET_MS = SHOP_TZ_MINUTES * 60_000;
const MAX_DAYS = 400;

export interface Period extends StatsFilter {
  /** First local day, YYYY-MM-DD. */
  fromDay: string;
  /** Last local day included, YYYY-MM-DD. */
  toDay: string;
  days: number;
}

/** Local calendar day (YYYY-MM-DD) of an instant. */
export const localDay = (ms: number): string => new Date(ms + OFFSET_MS).toISOString().slice(0, 10);

/** The instant a local day starts. */
export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00.000Z`) - OFFSET_MS;

/** Start of the local day containing `ms`. */
export const startOfLocalDay = (ms: number): number => dayStart(localDay(ms));

/** Monday 00:00 local of the week containing `ms`. */
export function startOfLocalWeek(ms: number): number {
  const day = startOfLocalDay(ms);
  const weekday = (new Date(day + OFFSET_MS).getUTCDay() + 6) % 7; // Monday = 0
  return day - weekday * DAY_MS;
}

/** Every local day from `fromDay` to `toDay` inclusive. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  for (let t = dayStart(fromDay); t <= dayStart(toDay) && out.length <= MAX_DAYS; t += DAY_MS) out.push(localDay(t));
  return out;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseInstant(value: string, name: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest('bad_period', `${name} is not a valid time`);
  return ms;
}

function parseDay(value: string, name: string): number {
  if (!DAY_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00.000Z`)) || localDay(dayStart(value)) !== value) {
    throw badRequest('bad_period', `${name} must be a day like 2026-03-01`);
  }
  return dayStart(value);
}

/** The last `days` local days, today included. */
export function lastDays(now: number, days: number): Period {
  const end = startOfLocalDay(now) + DAY_MS;
  return periodOf(end - days * DAY_MS, end);
}

function periodOf(start: number, end: number): Period {
  return {
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    fromDay: localDay(start),
    toDay: localDay(end - 1),
    days: Math.round((end - start) / DAY_MS),
  };
}

type Query = Record<string, string | string[] | undefined>;
const one = (q: Query, name: string): string | undefined => {
  const v = q[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
};

export function parseChannel(value: string | undefined): Channel | undefined {
  if (value === undefined) return undefined;
  if (!(CHANNELS as readonly string[]).includes(value)) throw badRequest('bad_channel', `channel must be one of ${CHANNELS.join(', ')}`);
  return value as Channel;
}

export function parseCategory(value: string | undefined): CaseCategory | undefined {
  if (value === undefined) return undefined;
  if (!(CASE_CATEGORIES as readonly string[]).includes(value)) {
    throw badRequest('bad_category', `category must be one of ${CASE_CATEGORIES.join(', ')}`);
  }
  return value as CaseCategory;
}

/**
 * `?days=30` (the last N local days, default 30), `?from=2026-03-01&to=2026-03-31` (local days, both included)
 * or two ISO instants (`to` excluded), plus `channel` and `category`.
 */
export function parseFilters(q: Query, now: number): Period {
  const from = one(q, 'from');
  const to = one(q, 'to');
  let period: Period;
  if (from !== undefined || to !== undefined) {
    if (from === undefined || to === undefined) throw badRequest('bad_period', 'give both from and to, or days');
    // Local days include `to`; ISO instants (for integrations) are taken as given, `to` exclusive.
    const instants = INSTANT_RE.test(from) && INSTANT_RE.test(to);
    const start = instants ? parseInstant(from, 'from') : parseDay(from, 'from');
    const end = instants ? parseInstant(to, 'to') : parseDay(to, 'to') + DAY_MS;
    if (end <= start) throw badRequest('bad_period', 'to must not be before from');
    if (end - start > MAX_DAYS * DAY_MS) throw badRequest('bad_period', `a period is at most ${MAX_DAYS} days`);
    period = periodOf(start, end);
  } else {
    const raw = one(q, 'days') ?? '30';
    const days = Number(raw);
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw badRequest('bad_period', `days must be a whole number from 1 to ${MAX_DAYS}`);
    period = lastDays(now, days);
  }
  const channel = parseChannel(one(q, 'channel'));
  const category = parseCategory(one(q, 'category'));
  return { ...period, ...(channel ? { channel } : {}), ...(category ? { category } : {}) };
}
