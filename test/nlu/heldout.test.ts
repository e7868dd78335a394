/** The acceptance figures on the held-out split (timing is measured by scripts/nlu-eval.ts, not here). */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findConfigDir, readCorpus, readHeldout, type HeldoutCase } from '../../src/nlu/corpus.js';
import { ACCEPTANCE, evaluate, type EvalReport } from '../../src/nlu/evaluate.js';
import { CLARIFY_THRESHOLD, INTENTS, normalize } from '../../src/nlu/index.js';
import { sharedNlu } from './shared-nlu.js';

const configDir = findConfigDir();
let cases: HeldoutCase[];
let report: EvalReport;

beforeAll(async () => {
  cases = readHeldout(path.join(configDir, 'heldout.jsonl'));
  report = evaluate((await sharedNlu()).analyze, cases, CLARIFY_THRESHOLD);
});

describe('held-out split', () => {
  it('has at least 25 cases per label, with risk and entity cases', () => {
    for (const label of INTENTS) expect(cases.filter((c) => c.intent === label).length).toBeGreaterThanOrEqual(25);
    expect(cases.filter((c) => c.risk).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.orderIds.length + c.phones.length + c.trackingNumbers.length > 0).length).toBeGreaterThanOrEqual(15);
  });

  it('is never trained on', () => {
    const trained = new Set(readCorpus(configDir).examples.map((e) => normalize(e.text)));
    expect(cases.filter((c) => trained.has(normalize(c.text))).map((c) => c.text)).toEqual([]);
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
