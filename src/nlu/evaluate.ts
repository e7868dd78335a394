/**
 * Scoring of an analyzer against labelled cases: per-label P/R/F1, macro-F1, risk P/R, entity P/R/F1,
 * confusion matrix. Used by scripts/nlu-eval.ts, scripts/nlu-compare.ts and the held-out test.
 */
import type { HeldoutCase } from './corpus.js';
import { INTENTS, type Analysis, type Entities, type Intent } from './types.js';

/** The acceptance thresholds of the issue; nlu-eval exits non-zero when one fails. */
export const ACCEPTANCE = { macroF1: 0.92, riskRecall: 0.97, riskPrecision: 0.85, entityF1: 0.98, p99Ms: 1 } as const;

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

export interface LabelScore extends Prf {
  support: number;
}

export interface EvalReport {
  cases: number;
  accuracy: number;
  macroF1: number;
  perLabel: Record<Intent, LabelScore>;
  /** confusion[expected][predicted], both indexed like INTENTS. */
  confusion: number[][];
  risk: Prf & { tp: number; fp: number; fn: number };
  entities: Prf & { tp: number; fp: number; fn: number };
  /** Share of messages under the clarify threshold, and accuracy on the rest. */
  clarify: { threshold: number; rate: number; accuracyAbove: number };
  errors: { text: string; expected: Intent; got: Intent; confidence: number }[];
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

export function prf(tp: number, fp: number, fn: number): Prf {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function entityList(e: Pick<Entities, 'orderIds' | 'phones' | 'trackingNumbers'>): string[] {
  return [...e.orderIds.map((v) => `o:${v}`), ...e.phones.map((v) => `p:${v}`), ...e.trackingNumbers.map((v) => `t:${v}`)];
}

export function evaluate(
  analyze: (text: string) => Analysis,
  cases: readonly HeldoutCase[],
  clarifyThreshold: number,
): EvalReport {
  const idx = new Map<Intent, number>(INTENTS.map((l, i) => [l, i]));
  const confusion = INTENTS.map(() => INTENTS.map(() => 0));
  const risk = { tp: 0, fp: 0, fn: 0 };
  const ent = { tp: 0, fp: 0, fn: 0 };
  const errors: EvalReport['errors'] = [];
  let correct = 0;
  let confident = 0;
  let confidentCorrect = 0;

  for (const c of cases) {
    const a = analyze(c.text);
    const row = confusion[idx.get(c.intent) ?? 0];
    if (row) row[idx.get(a.intent) ?? 0] = (row[idx.get(a.intent) ?? 0] ?? 0) + 1;
    const ok = a.intent === c.intent;
    if (ok) correct += 1;
    else errors.push({ text: c.text, expected: c.intent, got: a.intent, confidence: a.confidence });
    if (a.confidence >= clarifyThreshold) {
      confident += 1;
      if (ok) confidentCorrect += 1;
    }
    if (a.risk && c.risk) risk.tp += 1;
    else if (a.risk) risk.fp += 1;
    else if (c.risk) risk.fn += 1;
    const want = entityList(c);
    const got = entityList(a.entities);
    const hits = got.filter((g) => want.includes(g)).length;
    ent.tp += hits;
    ent.fp += got.length - hits;
    ent.fn += want.length - hits;
  }

  const perLabel = {} as Record<Intent, LabelScore>;
  INTENTS.forEach((label, i) => {
    const tp = confusion[i]?.[i] ?? 0;
    const support = (confusion[i] ?? []).reduce((s, v) => s + v, 0);
    const predicted = confusion.reduce((s, r) => s + (r[i] ?? 0), 0);
    perLabel[label] = { ...prf(tp, predicted - tp, support - tp), support };
  });
  const present = INTENTS.filter((l) => perLabel[l].support > 0);
  const macroF1 = present.reduce((s, l) => s + perLabel[l].f1, 0) / Math.max(1, present.length);

  return {
    cases: cases.length,
    accuracy: ratio(correct, cases.length),
    macroF1,
    perLabel,
    confusion,
    risk: { ...prf(risk.tp, risk.fp, risk.fn), ...risk },
    entities: { ...prf(ent.tp, ent.fp, ent.fn), ...ent },
    clarify: { threshold: clarifyThreshold, rate: 1 - ratio(confident, cases.length), accuracyAbove: ratio(confidentCorrect, confident) },
    errors,
  };
}
