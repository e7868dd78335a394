/**
 * CSV exports of the dashboard's tables: UTF-8 with a byte-order mark so Excel shows Chinese, CRLF line ends
 * (RFC 4180), and text cells that start like a formula (= + - @) prefixed with a quote so a customer's words
 * can never run as a spreadsheet formula.
 */
import type { Row } from './dashboard.js';
import type { Labels } from './labels.js';
import type { ShowcaseItem } from './showcase.js';
import type { SpikeReport } from './spikes.js';

export type Cell = string | number | null;

const BOM = '\uFEFF';

function cell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A share as a percentage with one decimal (0.1234 → 12.3), empty when there is nothing to divide. */
export const pct = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 10);

export function metricsCsv(labels: Labels, dimensionLabel: string, rows: Row[]): string {
  const t = (k: string): string => labels.text(k);
  const header = [
    dimensionLabel, t('csv.cases'), t('csv.share'), t('csv.resolved'), t('csv.bot_share'), t('csv.escalated_share'), t('csv.frt'),
    t('csv.resolution'), t('csv.sla'), t('csv.csat_avg'), t('csv.csat_count'),
    ...[1, 2, 3, 4, 5].map((n) => labels.text('csv.csat_n', { n })), t('csv.reopen'),
  ];
  const body = rows.map((r) => [
    r.label, r.cases, pct(r.share), r.resolved, pct(r.botResolvedShare), pct(r.escalatedShare), r.firstResponseAvgMinutes,
    r.resolutionAvgHours, pct(r.slaMetShare), r.csatAvg, r.csatCount, ...r.csatDistribution, pct(r.reopenRate),
  ]);
  return toCsv(header, body);
}

export function spikesCsv(labels: Labels, report: Pick<SpikeReport, 'week' | 'spikes'>): string {
  const t = (k: string): string => labels.text(k);
  const header = [t('csv.period'), t('csv.dimension'), t('csv.name'), t('csv.this_week'), t('csv.baseline'), t('csv.weeks'), t('csv.ratio'), t('csv.examples')];
  const period = `${report.week.fromDay}~${report.week.toDay}`;
  return toCsv(
    header,
    report.spikes.map((s) => [
      period,
      s.dimensionLabel,
      s.label,
      s.thisWeek,
      s.baseline,
      s.baselineWeeks.join('/'),
      s.ratio === null ? t('ratio.new') : s.ratio,
      s.examples.map((e) => e.text).join(' | '),
    ]),
  );
}

export function showcaseCsv(labels: Labels, items: ShowcaseItem[]): string {
  const t = (k: string): string => labels.text(k);
  const header = [t('csv.at'), t('csv.case_id'), t('dimension.channel'), t('dimension.category'), t('dimension.product'), t('csv.csat'), t('csv.words')];
  return toCsv(
    header,
    items.map((i) => [i.at, i.caseId, i.channelLabel, i.categoryLabel, i.product, i.csat, i.words]),
  );
}
