/**
 * Turns the measured rounds into the summary rows of issue #18: each figure is the median of its rounds,
 * shown with the rounds' range and spread, its target and PASS/FAIL. A WeCom round with an unanswered
 * message counts that message as never answered (infinite latency) and fails its figure.
 */
import type { AppFigures } from './app-figures.js';
import type { Baseline } from './baseline.js';
import type { RoundResult } from './conversations.js';
import { percentile, spread } from './measure.js';
import type { Row } from './summary.js';
import { roundsText } from './summary.js';

export const TARGETS = {
  ackRatio: 0.5,
  replyP95Ms: 100,
  burstRatio: 0.05,
  pacedAckP99Ms: 500,
  pacedAckMaxMs: 2000,
} as const;

const ratioRow = (figure: string, ratios: number[], target: number, clean: boolean): Row => {
  const s = spread(ratios);
  return { figure, value: ratios.length > 0 ? `${s.median.toFixed(3)}× B` : 'not measured', rounds: roundsText(s, '×', 3), target: `≥ ${target}× B`, pass: clean && s.median >= target };
};

/** p95 of a round, with every unanswered message as an infinitely late reply. */
const roundP95 = (r: RoundResult): number => percentile([...r.latenciesMs, ...Array<number>(r.sent - r.answered).fill(Infinity)], 95);

const allAnswered = (rounds: RoundResult[]): boolean => rounds.every((r) => r.answered === r.sent && r.unacked === 0 && r.refused === 0);

export function baselineRows(b: Baseline): Row[] {
  const bare = spread(b.bareRps);
  const ratios = b.inboundRps.map((rps, i) => rps / (b.bareRps[i] ?? Number.NaN));
  const p = b.paced.latency;
  const pacedClean = b.paced.non2xx + b.paced.errors + b.paced.timeouts === 0;
  return [
    { figure: 'B: bare Koa GET (this process)', value: `${bare.median.toFixed(0)} req/s`, rounds: roundsText(bare, '', 0), target: '', pass: null },
    ratioRow('1 webhook ack: web inbound POST, web role in-process', ratios, TARGETS.ackRatio, true),
    {
      figure: `  ack latency @ ${b.pacedRate} req/s (½ max), p99 / max`,
      value: `${p.p99} / ${p.max} ms`,
      rounds: '1 run',
      target: `p99 ≤ ${TARGETS.pacedAckP99Ms}, max ≤ ${TARGETS.pacedAckMaxMs} ms`,
      pass: pacedClean && p.p99 <= TARGETS.pacedAckP99Ms && p.max <= TARGETS.pacedAckMaxMs,
    },
  ];
}

export function appRows(a: AppFigures, bare: number, numbers: { latency: string; burst: string; ack: string }): Row[] {
  const p95 = spread(a.latencyRounds.map(roundP95));
  const burst = a.burstRounds.map((r) => r.answeredPerSecond / bare);
  const burstSize = a.burstRounds[0]?.sent ?? 0;
  return [
    {
      figure: `${numbers.latency} message → reply p95 @ ${a.pacedRate} msg/s (${a.label})`,
      value: a.latencyRounds.length === 0 ? 'not measured' : Number.isFinite(p95.median) ? `${p95.median} ms` : 'unanswered',
      rounds: roundsText(p95, ' ms', 0),
      target: `≤ ${TARGETS.replyP95Ms} ms`,
      pass: allAnswered(a.latencyRounds) && p95.median <= TARGETS.replyP95Ms,
    },
    ratioRow(`${numbers.burst} burst of ${burstSize} first messages, answered/s (${a.label})`, burst, TARGETS.burstRatio, allAnswered(a.burstRounds)),
    ratioRow(`${numbers.ack} webhook ack: web inbound POST (${a.label})`, a.ackRatios, TARGETS.ackRatio, a.ackFailures === 0),
  ];
}

/** Loss, duplication and process health across every WeCom round: all must be zero. */
export function healthRow(apps: AppFigures[]): Row {
  const rounds = apps.flatMap((a) => [...a.latencyRounds, ...a.burstRounds]);
  const unanswered = rounds.reduce((n, r) => n + r.sent - r.answered, 0);
  const unacked = rounds.reduce((n, r) => n + r.unacked, 0);
  const refused = rounds.reduce((n, r) => n + r.refused, 0);
  const problems = apps.flatMap((a) => a.problems).length + apps.reduce((n, a) => n + a.ackFailures, 0);
  return {
    figure: 'unanswered / unacked callbacks / refused sends / process or HTTP errors',
    value: `${unanswered} / ${unacked} / ${refused} / ${problems}`,
    rounds: `${rounds.length} WeCom rounds`,
    target: '0 / 0 / 0 / 0',
    pass: unanswered + unacked + refused + problems === 0,
  };
}

/** Footer lines naming what the health row counts: refused sends by reason, and process problems. */
export function problemNotes(apps: AppFigures[]): string[] {
  return apps.flatMap((a) => [
    ...[...a.latencyRounds, ...a.burstRounds].filter((r) => r.refused > 0).map((r) => `refused sends on ${a.label}: ${r.refusedWhy}`),
    ...a.problems.map((p) => `process problem on ${a.label}: ${p}`),
  ]);
}
