/** The acceptance figures on both held-out splits (timing is measured by scripts/nlu-eval.ts, not here). */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findConfigDir, readCorpus, readHeldout, type HeldoutCase } from '../../src/nlu/corpus.js';
import { ACCEPTANCE, evaluate, type EvalReport } from '../../src/nlu/evaluate.js';
import { CLARIFY_THRESHOLD, INTENTS, normalize } from '../../src/nlu/index.js';
import { overlap } from '../../src/nlu/overlap.js';
import { testClassifier } from '../helpers/classifier.js';

const configDir = findConfigDir();
const corpusTexts = readCorpus(configDir).examples.map((e) => e.text);

describe.each([
  ['heldout.jsonl', 25],
  ['heldout-hard.jsonl', 20],
])('held-out split %s', (file, perLabel) => {
  let cases: HeldoutCase[];
  let report: EvalReport;

  beforeAll(async () => {
    cases = readHeldout(path.join(configDir, file));
    report = evaluate((await testClassifier()).analyze, cases, CLARIFY_THRESHOLD);
  });

  it(`has at least ${perLabel} cases per label, with risk and entity cases`, () => {
    for (const label of INTENTS) expect(cases.filter((c) => c.intent === label).length).toBeGreaterThanOrEqual(perLabel);
    expect(cases.filter((c) => c.risk).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.orderIds.length + c.phones.length + c.trackingNumbers.length > 0).length).toBeGreaterThanOrEqual(10);
  });

  it('is never trained on, not even nearly', () => {
    const trained = new Set(corpusTexts.map((t) => normalize(t)));
    expect(cases.filter((c) => trained.has(normalize(c.text))).map((c) => c.text)).toEqual([]);
    expect(overlap(cases.map((c) => c.text), corpusTexts).pairs).toEqual([]);
  });

  it(`reaches macro-F1 ≥ ${ACCEPTANCE.macroF1}`, () => {
    expect(report.macroF1).toBeGreaterThanOrEqual(ACCEPTANCE.macroF1);
  });

  it(`reaches risk recall ≥ ${ACCEPTANCE.riskRecall} with precision ≥ ${ACCEPTANCE.riskPrecision}`, () => {
    expect(report.risk.recall).toBeGreaterThanOrEqual(ACCEPTANCE.riskRecall);
    expect(report.risk.precision).toBeGreaterThanOrEqual(ACCEPTANCE.riskPrecision);
  });

  it(`reaches entity F1 ≥ ${ACCEPTANCE.entityF1}`, () => {
    expect(report.entities.f1).toBeGreaterThanOrEqual(ACCEPTANCE.entityF1);
  });
});
