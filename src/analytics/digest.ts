/**
 * The weekly digest (持续改进): every Monday 09:00 shop time a `timer` job sums up the week that just ended
 * (Monday 00:00 to Monday 00:00) against the week before, lists the spikes, and raises one `digest` alert plus
 * one `spike` alert per spike. Alert keys carry the week, so a re-run of the job raises nothing twice.
 */
import { raiseAlert } from '../alerts/index.js';
import type { Services } from '../services.js';
import type { Store } from '../store/types.js';
import type { Labels } from './labels.js';
import { loadLabels } from './labels.js';
import { metricsOf, rollup, sumBuckets, type Metrics } from './metrics.js';
import { localDay, startOfLocalWeek, WEEK_MS } from './period.js';
import { detectSpikes, type Spike, type SpikeReport } from './spikes.js';
import { improvementDigest } from '../improve/report.js';
import type { ItemView } from '../improve/view.js';

export const DIGEST_TIMER = 'analytics-digest';
/** Job scheduler id on the `timer` queue. */
export const DIGEST_SCHEDULER = 'analytics:weekly-digest';
export const DIGEST_CRON = '0 9 * * 1';
export const SHOP_TIMEZONE = 'Asia/Shanghai';

export interface Digest {
  title: string;
  text: string;
  week: { from: string; to: string; fromDay: string; toDay: string };
  kpi: Metrics;
  previous: Metrics;
  spikes: SpikeReport;
  /** Open and done improvement items (改进单) with their effect. */
  improvements: ItemView[];
}

const TOP = 3;

export async function buildDigest(store: Store, labels: Labels, opts: { asOf: number; shopName: string }): Promise<Digest> {
  const to = opts.asOf;
  const from = to - WEEK_MS;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const [week, before, spikes, improvements] = await Promise.all([
    store.caseStats({ from: iso(from), to: iso(to), groupBy: ['category', 'product'] }),
    store.caseStats({ from: iso(from - WEEK_MS), to: iso(from) }),
    detectSpikes(store, labels, { asOf: to }),
    improvementDigest(store, labels, to),
  ]);
  const kpi = metricsOf(sumBuckets(week));
  const previous = metricsOf(sumBuckets(before));
  const fromDay = localDay(from);
  const toDay = localDay(to - 1);
  const t = labels.text;
  const na = t('unit.na');
  const pct = (x: number | null): string => (x === null ? na : `${Math.round(x * 1000) / 10}%`);
  const top = (dim: 'category' | 'product'): string =>
    [...rollup(week, dim).entries()]
      .filter(([k]) => k !== null)
      .sort((a, b) => b[1].cases - a[1].cases)
      .slice(0, TOP)
      .map(([k, c]) => `${labels.value(dim, k)} ${t('unit.cases', { n: c.cases })}`)
      .join(t('list.separator'));

  const lines = [
    t('digest.summary', {
      shopName: opts.shopName,
      from: fromDay,
      to: toDay,
      cases: kpi.cases,
      previous: previous.cases,
      change: changeText(labels, kpi.cases, previous.cases),
      bot: pct(kpi.botResolvedShare),
      frt: kpi.firstResponseAvgMinutes === null ? na : t('unit.minutes', { n: kpi.firstResponseAvgMinutes }),
      resolution: kpi.resolutionAvgHours === null ? na : t('unit.hours', { n: kpi.resolutionAvgHours }),
      sla: pct(kpi.slaMetShare),
      csat: kpi.csatAvg ?? na,
      csatCount: kpi.csatCount,
      satisfied: pct(kpi.csatSatisfiedShare),
      reopen: pct(kpi.reopenRate),
    }),
  ];
  if (kpi.cases > 0) lines.push(t('digest.top', { list: top('category') }), t('digest.products', { list: top('product') }));
  lines.push(
    spikes.spikes.length > 0
      ? t('digest.spikes', { list: spikes.spikes.map((s) => `· ${spikeTitle(labels, s)}`).join('\n') })
      : t('digest.no_spikes'),
  );
  lines.push(...improvements.lines);
  return {
    title: t('digest.title', { from: fromDay, to: toDay }),
    text: lines.join('\n'),
    week: { from: iso(from), to: iso(to), fromDay, toDay },
    kpi,
    previous,
    spikes,
    improvements: improvements.items,
  };
}

function changeText(labels: Labels, now: number, before: number): string {
  if (before === 0) return now === 0 ? labels.text('digest.change_flat') : labels.text('digest.change_new');
  const change = (now - before) / before;
  const pct = `${Math.round(Math.abs(change) * 1000) / 10}%`;
  if (Math.abs(change) < 0.005) return labels.text('digest.change_flat');
  return labels.text(change > 0 ? 'digest.change_up' : 'digest.change_down', { pct });
}

export function spikeTitle(labels: Labels, s: Spike): string {
  return labels.text('spike.title', { dimension: s.dimensionLabel, name: s.label, count: s.thisWeek, baseline: s.baseline });
}

export function spikeText(labels: Labels, report: SpikeReport, s: Spike): string {
  const examples = s.examples.map((e) => `“${e.text}”`).join(labels.text('list.separator'));
  return labels.text('spike.text', {
    from: report.week.fromDay,
    to: report.week.toDay,
    count: s.thisWeek,
    weeks: s.baselineWeeks.join('/'),
    baseline: s.baseline,
    ratioText: s.ratio === null ? labels.text('ratio.new') : labels.text('ratio.times', { ratio: s.ratio }),
    examples: examples ? labels.text('spike.examples', { list: examples }) : '',
  });
}

type AlertDeps = Pick<Services, 'store' | 'queues' | 'log' | 'clock' | 'config'>;

/** Computes the digest of the week before `asOf` and raises its alerts (each once per week). */
export async function runDigest(s: AlertDeps, opts: { asOf: number; labels?: Labels }): Promise<Digest> {
  const labels = opts.labels ?? loadLabels();
  const digest = await buildDigest(s.store, labels, { asOf: opts.asOf, shopName: s.config.shopName });
  const week = digest.week.fromDay;
  await raiseAlert(s, {
    key: `digest:${week}`,
    kind: 'digest',
    level: 'info',
    title: digest.title,
    text: digest.text,
    data: { week: digest.week, cases: digest.kpi.cases, spikes: digest.spikes.spikes.length },
  });
  for (const spike of digest.spikes.spikes) {
    await raiseAlert(s, {
      key: `spike:${spike.dimension}:${spike.key}:${week}`,
      kind: 'spike',
      level: 'warning',
      title: spikeTitle(labels, spike),
      text: spikeText(labels, digest.spikes, spike),
      data: {
        dimension: spike.dimension,
        value: spike.key,
        thisWeek: spike.thisWeek,
        baseline: spike.baseline,
        baselineWeeks: spike.baselineWeeks,
        week: digest.spikes.week,
        caseIds: spike.examples.map((e) => e.caseId),
      },
    });
  }
  s.log.info({ week, cases: digest.kpi.cases, spikes: digest.spikes.spikes.length }, 'weekly digest raised');
  return digest;
}

/** The `timer` handler: the week that ended at the last Monday 00:00 shop time. */
export const onDigestTimer = async (s: AlertDeps): Promise<string> => {
  const digest = await runDigest(s, { asOf: startOfLocalWeek(s.clock.now()) });
  return `digest ${digest.week.fromDay}: ${digest.spikes.spikes.length} spikes`;
};

/** Registers the weekly job (idempotent: one scheduler id, updated in place). Called at worker start. */
export async function scheduleDigest(s: Pick<Services, 'queues' | 'log'>): Promise<void> {
  await s.queues.get('timer').upsertJobScheduler(
    DIGEST_SCHEDULER,
    { pattern: DIGEST_CRON, tz: SHOP_TIMEZONE },
    { name: 'timer', data: { kind: DIGEST_TIMER, subjectId: 'weekly', dueAt: 0, payload: {} } },
  );
  s.log.info({ cron: DIGEST_CRON, tz: SHOP_TIMEZONE }, 'weekly digest scheduled');
}
