/**
 * Evaluates message understanding on config/nlu/heldout.jsonl, which no training path reads: per-label
 * precision/recall/F1, macro-F1, risk precision/recall, entity P/R/F1, the confusion matrix and analyze()
 * latency. Exits 1 when an acceptance threshold fails or a held-out text also appears in the corpus.
 *
 *   npm run nlu:eval [-- --errors]
 */
import path from 'node:path';
import { findConfigDir, readCorpus, readHeldout } from '../src/nlu/corpus.js';
import { ACCEPTANCE, evaluate } from '../src/nlu/evaluate.js';
import { CLARIFY_THRESHOLD, createNlu, normalize } from '../src/nlu/index.js';
import { INTENTS } from '../src/nlu/types.js';

const ROUNDS = 50;
const f3 = (n: number): string => n.toFixed(3);
const configDir = findConfigDir();
const cases = readHeldout(path.join(configDir, 'heldout.jsonl'));

// The split is only honest if no held-out text was trained on.
const trained = new Set(readCorpus(configDir).examples.map((e) => normalize(e.text)));
const leaked = cases.filter((c) => trained.has(normalize(c.text)));

const nlu = await createNlu({ configDir });
const report = evaluate(nlu.analyze, cases, CLARIFY_THRESHOLD);
console.log(`held-out: ${cases.length} messages; model ${nlu.info.source} (${nlu.info.examples} training examples)`);
console.log(`\n${'label'.padEnd(16)} precision recall     f1 support`);
for (const label of INTENTS) {
  const s = report.perLabel[label];
  console.log(`${label.padEnd(16)} ${f3(s.precision).padStart(9)} ${f3(s.recall).padStart(6)} ${f3(s.f1).padStart(6)} ${String(s.support).padStart(7)}`);
}
console.log(`\nmacro-F1 ${f3(report.macroF1)}   accuracy ${f3(report.accuracy)}`);
const r = report.risk;
console.log(`risk: precision ${f3(r.precision)} recall ${f3(r.recall)} (tp ${r.tp}, fp ${r.fp}, fn ${r.fn})`);
const e = report.entities;
console.log(`entities: precision ${f3(e.precision)} recall ${f3(e.recall)} F1 ${f3(e.f1)} (tp ${e.tp}, fp ${e.fp}, fn ${e.fn})`);
const c = report.clarify;
console.log(`clarify (confidence < ${c.threshold}): ${(c.rate * 100).toFixed(1)}% of messages; accuracy on the rest ${f3(c.accuracyAbove)}`);

console.log('\nconfusion matrix (rows expected, columns predicted)');
const short = INTENTS.map((l) => l.slice(0, 6));
console.log(`${''.padEnd(16)}${short.map((s) => s.padStart(7)).join('')}`);
report.confusion.forEach((row, i) => console.log(`${(INTENTS[i] ?? '').padEnd(16)}${row.map((v) => String(v).padStart(7)).join('')}`));

// Latency of analyze() per message: warm up, then time every message ROUNDS times.
const texts = cases.map((x) => x.text);
for (let i = 0; i < 5; i++) for (const t of texts) nlu.analyze(t);
const times: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const t of texts) {
    const start = process.hrtime.bigint();
    nlu.analyze(t);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
times.sort((a, b) => a - b);
const at = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
const p99 = at(0.99);
console.log(`\nlatency per message (${times.length} timed calls): p50 ${at(0.5).toFixed(3)} ms, p99 ${p99.toFixed(3)} ms, max ${at(1).toFixed(3)} ms`);

if (process.argv.includes('--errors')) {
  console.log('\nmisclassified:');
  for (const x of report.errors) console.log(`  ${x.expected.padEnd(16)} → ${x.got.padEnd(16)} ${x.confidence.toFixed(2)}  ${x.text}`);
}

const failures = [
  report.macroF1 < ACCEPTANCE.macroF1 && `macro-F1 ${f3(report.macroF1)} < ${ACCEPTANCE.macroF1}`,
  r.recall < ACCEPTANCE.riskRecall && `risk recall ${f3(r.recall)} < ${ACCEPTANCE.riskRecall}`,
  r.precision < ACCEPTANCE.riskPrecision && `risk precision ${f3(r.precision)} < ${ACCEPTANCE.riskPrecision}`,
  e.f1 < ACCEPTANCE.entityF1 && `entity F1 ${f3(e.f1)} < ${ACCEPTANCE.entityF1}`,
  p99 > ACCEPTANCE.p99Ms && `p99 ${p99.toFixed(3)} ms > ${ACCEPTANCE.p99Ms} ms`,
  leaked.length > 0 && `${leaked.length} held-out texts also in the training corpus: ${leaked.map((x) => x.text).join(' | ')}`,
].filter((f): f is string => typeof f === 'string');
console.log(failures.length === 0 ? '\nPASS: all acceptance thresholds met' : `\nFAIL:\n  ${failures.join('\n  ')}`);
process.exit(failures.length === 0 ? 0 : 1);
