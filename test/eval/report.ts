/** The evaluation's numbers and its printout: pass rate, turns to a complete case, every failure with why. */
import type { EvalConversation } from './types.js';

export interface Result {
  c: EvalConversation;
  failures: string[];
  turnsToCase: number | null;
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export interface Summary {
  total: number;
  passed: number;
  rate: number;
  median: number | null;
  p90: number | null;
}

export function summarize(results: Result[]): Summary {
  const passed = results.filter((r) => r.failures.length === 0).length;
  // Turns to a complete case: conversations that must end in a case the shopper completed (not a hand-over).
  const turns = results.filter((r) => r.c.case?.status === 'open' && r.turnsToCase !== null).map((r) => r.turnsToCase as number);
  return {
    total: results.length,
    passed,
    rate: results.length > 0 ? passed / results.length : 0,
    median: turns.length > 0 ? percentile(turns, 50) : null,
    p90: turns.length > 0 ? percentile(turns, 90) : null,
  };
}

function block(title: string, results: Result[]): string[] {
  const s = summarize(results);
  const lines = [
    `${title}: ${s.passed}/${s.total} passed (${(s.rate * 100).toFixed(1)} %), customer turns to a complete case: median ${s.median ?? '-'}, p90 ${s.p90 ?? '-'}`,
  ];
  for (const r of results.filter((x) => x.failures.length > 0)) {
    lines.push(`  ✗ ${r.c.id} [${r.c.channel}, item ${r.c.item}${r.c.deferred ? `, deferred: ${r.c.deferred}` : ''}]`);
    for (const f of r.failures) lines.push(`      - ${f}`);
  }
  return lines;
}

export function render(results: Result[]): string {
  const required = results.filter((r) => !r.c.deferred);
  const deferred = results.filter((r) => r.c.deferred);
  return ['dialogue evaluation', ...block('required', required), ...(deferred.length > 0 ? block('deferred', deferred) : [])].join('\n');
}
