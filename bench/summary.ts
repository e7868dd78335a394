/**
 * The final table on stdout: one row per figure with the median of its rounds, the rounds' range and spread,
 * the target from issue #18 (or reliability.md) and PASS/FAIL. Rows without a target are context.
 */
import type { Spread } from './measure.js';

export interface Row {
  figure: string;
  value: string;
  rounds: string;
  target: string;
  /** null: context only (no target). */
  pass: boolean | null;
}

export function roundsText(s: Spread, unit: string, digits: number): string {
  if (!Number.isFinite(s.median)) return 'incomplete rounds';
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(digits) : '∞');
  return `${f(s.min)}–${f(s.max)}${unit} (spread ${Number.isFinite(s.relative) ? Math.round(s.relative * 100) : '∞'}%)`;
}

export function renderTable(rows: Row[], footer: string[]): string {
  const head: Row = { figure: 'figure', value: 'median', rounds: 'rounds min–max (spread)', target: 'target', pass: null };
  const cells = [head, ...rows].map((r, i) => [r.figure, r.value, r.rounds, r.target, i === 0 ? 'result' : r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL']);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...cells.map((row) => width(row[c] ?? ''))));
  const line = (row: string[]): string => row.map((cell, c) => (c < 4 ? pad(cell, widths[c] ?? 0) : cell)).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return ['', line(cells[0] ?? []), rule, ...cells.slice(1).map(line), '', ...footer, ''].join('\n');
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}
