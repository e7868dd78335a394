import { describe, expect, it } from 'vitest';
import { addBusinessMs, businessMsBetween, isOnDuty, nextOnDuty } from '../../src/handoff/business-time.js';
import { alwaysOnDuty, parseHandoffConfig } from '../../src/handoff/config.js';
import { loadOperatorData } from '../../src/operator-data.js';

const cfg = { ...loadOperatorData().handoff, holidays: ['2026-10-01'] };
// 2026-11-23 is a Monday. Shanghai is UTC+8: 09:00 local = 01:00Z.
const at = (iso: string): number => Date.parse(iso);
const MIN = 60_000;

describe('business time on the roster (Asia/Shanghai, Mon–Fri 09–22, weekends 10–22)', () => {
  it('knows who is on duty', () => {
    expect(isOnDuty(cfg, at('2026-11-23T02:00:00Z'))).toBe(true); // Mon 10:00
    expect(isOnDuty(cfg, at('2026-11-23T14:30:00Z'))).toBe(false); // Mon 22:30
    expect(isOnDuty(cfg, at('2026-10-01T04:00:00Z'))).toBe(false); // holiday noon
  });

  it('counts 15 minutes inside the day as 15 minutes', () => {
    const start = at('2026-11-23T02:00:00Z');
    expect(addBusinessMs(cfg, start, 15 * MIN)).toBe(start + 15 * MIN);
  });

  it('carries over the night: 21:50 + 15 min → 09:05 the next morning', () => {
    expect(new Date(addBusinessMs(cfg, at('2026-11-23T13:50:00Z'), 15 * MIN)).toISOString()).toBe('2026-11-24T01:05:00.000Z');
  });

  it('starts counting at opening when the case arrives at night, and skips holidays and short weekend days', () => {
    expect(new Date(addBusinessMs(cfg, at('2026-11-23T16:00:00Z'), 15 * MIN)).toISOString()).toBe('2026-11-24T01:15:00.000Z');
    // Fri 2026-11-27 21:30 + 60 min → Sat opens at 10:00 → 10:30 Sat.
    expect(new Date(addBusinessMs(cfg, at('2026-11-27T13:30:00Z'), 60 * MIN)).toISOString()).toBe('2026-11-28T02:30:00.000Z');
    // 30 Sep 21:00 + 2 h: 1 h that evening, 1 Oct is a holiday, then 09:00–10:00 on 2 Oct (a Friday).
    expect(new Date(addBusinessMs(cfg, at('2026-09-30T13:00:00Z'), 120 * MIN)).toISOString()).toBe('2026-10-02T02:00:00.000Z');
  });

  it('48 business hours span several calendar days', () => {
    const due = addBusinessMs(cfg, at('2026-11-23T01:00:00Z'), 48 * 60 * MIN);
    expect(businessMsBetween(cfg, at('2026-11-23T01:00:00Z'), due)).toBe(48 * 60 * MIN);
    expect(due - at('2026-11-23T01:00:00Z')).toBeGreaterThan(3 * 24 * 60 * MIN);
  });

  it('finds the next on-duty moment', () => {
    expect(new Date(nextOnDuty(cfg, at('2026-11-23T15:00:00Z')) ?? 0).toISOString()).toBe('2026-11-24T01:00:00.000Z');
    expect(nextOnDuty(cfg, at('2026-11-23T03:00:00Z'))).toBe(at('2026-11-23T03:00:00Z'));
  });

  it('around the clock counts plain time', () => {
    const all = alwaysOnDuty(cfg);
    const start = at('2026-11-23T15:00:00Z');
    expect(addBusinessMs(all, start, 90 * MIN)).toBe(start + 90 * MIN);
  });

  it('rejects a broken roster with the field named', () => {
    expect(() => parseHandoffConfig({ ...cfg, roster: { ...cfg.roster, mon: ['22:00-09:00'] } })).toThrow(/roster\.mon\.0 must end after it starts/);
    expect(() => parseHandoffConfig({ ...cfg, timezone: 'Mars/Base' })).toThrow(/timezone/);
  });
});
