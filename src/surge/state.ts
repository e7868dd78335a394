/**
 * Surge mode for livestream peaks. A minute whose inbound count reaches `multiple` × the usual rate (never below
 * `multiple` × `minPerMinute`) starts a surge, or keeps one going; the surge ends by itself once `quietMinutes`
 * pass without such a minute: the state only records the last minute over the line, and whether a surge is on
 * is computed from the clock, so nothing has to run for it to end. The start raises one alert (the console feed
 * and the managers' WeCom), keyed by the starting minute, so workers that see the same peak raise it once.
 */
import { raiseAlert } from '../alerts/index.js';
import type { SurgeConfig } from '../care/config.js';
import type { Services } from '../services.js';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';
import { readSurgeAnswer } from './answer.js';
import { readRates, type Rates } from './rate.js';

const MINUTE_MS = 60_000;

interface Stored {
  /** First minute of the surge. */
  since: number;
  /** Latest minute over the threshold. */
  lastOver: number;
}

export interface SurgeStatus {
  active: boolean;
  /** ISO start of the current (or latest) surge; null when there never was one. */
  since: string | null;
  /** ISO time the surge ends by itself unless another minute goes over the line. */
  endsAt: string | null;
  perMinute: number;
  usualPerMinute: number;
  threshold: number;
}

type Deps = Pick<Services, 'redis' | 'config' | 'clock' | 'store' | 'queues' | 'log'>;

const stateKey = (s: Pick<Services, 'config'>): string => `${s.config.queuePrefix}:surge:state`;
const iso = (minute: number): string => new Date(minute * MINUTE_MS).toISOString();

export const thresholdOf = (cfg: SurgeConfig, usual: number): number => Math.ceil(cfg.multiple * Math.max(usual, cfg.minPerMinute));

async function readStored(s: Pick<Services, 'redis' | 'config'>): Promise<Stored | null> {
  const raw = await s.redis.get(stateKey(s));
  if (!raw) return null;
  const v = JSON.parse(raw) as Partial<Stored>;
  return typeof v.since === 'number' && typeof v.lastOver === 'number' ? { since: v.since, lastOver: v.lastOver } : null;
}

const isActive = (st: Stored | null, minute: number, cfg: SurgeConfig): st is Stored => st !== null && minute - st.lastOver <= cfg.quietMinutes;

function statusOf(st: Stored | null, rates: Rates, cfg: SurgeConfig): SurgeStatus {
  const active = isActive(st, rates.minute, cfg);
  return {
    active,
    since: st ? iso(st.since) : null,
    endsAt: active ? iso(st.lastOver + cfg.quietMinutes + 1) : null,
    perMinute: rates.perMinute,
    usualPerMinute: Math.round(rates.usual * 10) / 10,
    threshold: thresholdOf(cfg, rates.usual),
  };
}

/** Counts the message and moves the surge on; returns whether the shop is in a surge now. */
export async function noteInbound(s: Deps, rowId: string, opts: { cfg: SurgeConfig; book: TemplateBook }): Promise<SurgeStatus> {
  const { cfg } = opts;
  const rates = await readRates(s, { rowId, now: s.clock.now(), trailingMinutes: cfg.trailingMinutes });
  let st = await readStored(s);
  if (rates.perMinute >= thresholdOf(cfg, rates.usual)) {
    const starting = !isActive(st, rates.minute, cfg);
    st = { since: starting || !st ? rates.minute : st.since, lastOver: Math.max(rates.minute, st?.lastOver ?? 0) };
    await s.redis.set(stateKey(s), JSON.stringify(st), 'EX', 7 * 24 * 3600);
    if (starting) await surgeAlert(s, st, rates, opts);
  }
  return statusOf(st, rates, cfg);
}

/** What the console shows: the surge right now, read without counting anything. */
export async function surgeStatus(s: Pick<Services, 'redis' | 'config' | 'clock'>, cfg: SurgeConfig): Promise<SurgeStatus> {
  const rates = await readRates(s, { now: s.clock.now(), trailingMinutes: cfg.trailingMinutes });
  return statusOf(await readStored(s), rates, cfg);
}

async function surgeAlert(s: Deps, st: Stored, rates: Rates, opts: { cfg: SurgeConfig; book: TemplateBook }): Promise<void> {
  const answer = await readSurgeAnswer(s.store);
  const usual = Math.round(rates.usual * 10) / 10;
  const vars = { perMinute: rates.perMinute, usual, threshold: thresholdOf(opts.cfg, rates.usual) };
  const first = (key: string): string => renderTemplate(opts.book, key, vars, { seed: 0 });
  await raiseAlert(s, {
    key: `surge:${st.since}`,
    kind: 'surge',
    level: 'warning',
    title: first('surge.alert.started.title'),
    text: first(answer ? 'surge.alert.started.text' : 'surge.alert.started.no_answer'),
    data: { since: iso(st.since), perMinute: rates.perMinute, usualPerMinute: usual, answerSet: answer !== null },
  });
}
