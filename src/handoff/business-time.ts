/**
 * Service-level clocks count only on-duty time (the roster in config/handoff.json, in its time zone, minus
 * holidays). Luxon does the calendar and time-zone work; this file only walks the roster's intervals.
 */
import { DateTime } from 'luxon';
import { DAYS, type HandoffConfig } from './config.js';

type Roster = Pick<HandoffConfig, 'timezone' | 'roster' | 'holidays'>;

const MAX_DAYS = 400;

/** On-duty intervals [start, end) in epoch ms for the local day containing `dayStart`. */
function intervalsOf(r: Roster, dayStart: DateTime): [number, number][] {
  if (r.holidays.includes(dayStart.toISODate() ?? '')) return [];
  const spans = r.roster[DAYS[dayStart.weekday - 1] as (typeof DAYS)[number]];
  return spans.map((s) => {
    const [from, to] = s.split('-') as [string, string];
    const at = (hhmm: string): number => {
      const [h, m] = hhmm.split(':').map(Number) as [number, number];
      return dayStart.plus({ hours: h, minutes: m }).toMillis();
    };
    return [at(from), at(to)];
  });
}

function startOfDay(r: Roster, ms: number): DateTime {
  return DateTime.fromMillis(ms, { zone: r.timezone }).startOf('day');
}

export function isOnDuty(r: Roster, ms: number): boolean {
  return intervalsOf(r, startOfDay(r, ms)).some(([a, b]) => ms >= a && ms < b);
}

/** The first on-duty moment at or after `ms`, or null when the roster is empty for a long time. */
export function nextOnDuty(r: Roster, ms: number): number | null {
  let day = startOfDay(r, ms);
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [a, b] of intervalsOf(r, day)) {
      if (ms < b) return Math.max(a, ms);
    }
    day = day.plus({ days: 1 });
  }
  return null;
}

/** The moment when `durationMs` of on-duty time has passed after `startMs`. */
export function addBusinessMs(r: Roster, startMs: number, durationMs: number): number {
  let left = durationMs;
  let day = startOfDay(r, startMs);
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [a, b] of intervalsOf(r, day)) {
      const from = Math.max(a, startMs);
      if (from >= b) continue;
      if (from + left <= b) return from + left;
      left -= b - from;
    }
    day = day.plus({ days: 1 });
  }
  // A roster with no hours at all: count plain time rather than never.
  return startMs + durationMs;
}

/** On-duty time between two moments (for "first response within 15 business minutes" reports). */
export function businessMsBetween(r: Roster, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  let total = 0;
  let day = startOfDay(r, fromMs);
  for (let i = 0; i < MAX_DAYS && day.toMillis() < toMs; i++) {
    for (const [a, b] of intervalsOf(r, day)) {
      const lo = Math.max(a, fromMs);
      const hi = Math.min(b, toMs);
      if (hi > lo) total += hi - lo;
    }
    day = day.plus({ days: 1 });
  }
  return total;
}
