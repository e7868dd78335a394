/**
 * Evaluates message understanding on the held-out splits, which no training path reads: heldout.jsonl
 * (tidy sentences) and heldout-hard.jsonl (long, slangy, negated, indirectly risky messages and entity
 * traps). Per split: per-label precision/recall/F1, macro-F1, risk precision/recall, entity P/R/F1 and
 * the confusion matrix; then analyze() latency over both. Exits 1 when an acceptance threshold fails on
 * either split, or a held-out text is (nearly) the same as a training line.
 *
 *   npm run nlu:eval [-- --errors]
 */
import path from 'node:path';
import { findConfigDir, readCorpus, readHeldout, type HeldoutCase } from '../src/nlu/corpus.js';
import { ACCEPTANCE, evaluate } from '../src/nlu/evaluate.js';
import { CLARIFY_THRESHOLD, createNlu } from '../src/nlu/index.js';
import { NEAR_DUPLICATE, overlap } from '../src/nlu/overlap.js';
import { INTENTS } from '../src/nlu/types.js';

const SPLITS = ['heldout.jsonl', 'heldout-hard.jsonl'] as const;
const ROUNDS = 50;
const f3 = (n: number): string => n.toFixed(3);
const configDir = findConfigDir();
const corpusTexts = readCorpus(configDir).examples.map((e) => e.text);
const nlu = await createNlu({ configDir });
const failures: string[] = [];
const allTexts: string[] = [];

function report(name: string, cases: readonly HeldoutCase[]): void {
  const r = evaluate(nlu.analyze, cases, CLARIFY_THRESHOLD);
  console.log(`\n=== ${name}: ${cases.length} messages; model ${nlu.info.source} (${nlu.info.examples} training examples)`);
  console.log(`${'label'.padEnd(16)} precision recall     f1 support`);
  for (const label of INTENTS) {
    const s = r.perLabel[label];
    console.log(`${label.padEnd(16)} ${f3(s.precision).padStart(9)} ${f3(s.recall).padStart(6)} ${f3(s.f1).padStart(6)} ${String(s.support).padStart(7)}`);
  }
  console.log(`\nmacro-F1 ${f3(r.macroF1)}   accuracy ${f3(r.accuracy)}`);
  console.log(`risk: precision ${f3(r.risk.precision)} recall ${f3(r.risk.recall)} (tp ${r.risk.tp}, fp ${r.risk.fp}, fn ${r.risk.fn})`);
  const e = r.entities;
  console.log(`entities: precision ${f3(e.precision)} recall ${f3(e.recall)} F1 ${f3(e.f1)} (tp ${e.tp}, fp ${e.fp}, fn ${e.fn})`);
  const c = r.clarify;
  console.log(`clarify (confidence < ${c.threshold}): ${(c.rate * 100).toFixed(1)}% of messages; accuracy on the rest ${f3(c.accuracyAbove)}`);

  console.log('\nconfusion matrix (rows expected, columns predicted)');
  console.log(`${''.padEnd(16)}${INTENTS.map((l) => l.slice(0, 6).padStart(7)).join('')}`);
  r.confusion.forEach((row, i) => console.log(`${(INTENTS[i] ?? '').padEnd(16)}${row.map((v) => String(v).padStart(7)).join('')}`));

  const o = overlap(
    cases.map((x) => x.text),
    corpusTexts,
  );
  console.log(`overlap with the corpus: highest bigram Jaccard ${f3(o.max)}, ${o.pairs.length} pairs ≥ ${NEAR_DUPLICATE} (${o.short} short lines not checked)`);

  if (process.argv.includes('--errors')) {
    console.log('\nmisclassified:');
    for (const x of r.errors) console.log(`  ${x.expected.padEnd(16)} → ${x.got.padEnd(16)} ${x.confidence.toFixed(2)}  ${x.text}`);
    const missed = cases.filter((x) => x.risk !== nlu.analyze(x.text).risk);
    for (const x of missed) console.log(`  risk ${x.risk ? 'missed' : 'false alarm'}: ${x.text}`);
  }

  failures.push(
    ...[
      r.macroF1 < ACCEPTANCE.macroF1 && `${name}: macro-F1 ${f3(r.macroF1)} < ${ACCEPTANCE.macroF1}`,
      r.risk.recall < ACCEPTANCE.riskRecall && `${name}: risk recall ${f3(r.risk.recall)} < ${ACCEPTANCE.riskRecall}`,
      r.risk.precision < ACCEPTANCE.riskPrecision && `${name}: risk precision ${f3(r.risk.precision)} < ${ACCEPTANCE.riskPrecision}`,
      e.f1 < ACCEPTANCE.entityF1 && `${name}: entity F1 ${f3(e.f1)} < ${ACCEPTANCE.entityF1}`,
      ...o.pairs.map((p) => `${name}: near-duplicate of a training line (${f3(p.similarity)}): ${p.heldout} | ${p.corpus}`),
    ].filter((f): f is string => typeof f === 'string'),
  );
}

for (const split of SPLITS) {
  const cases = readHeldout(path.join(configDir, split));
  allTexts.push(...cases.map((c) => c.text));
  report(split, cases);
}

// Latency of analyze() per message: warm up, then time every message ROUNDS times.
for (let i = 0; i < 5; i++) for (const t of allTexts) nlu.analyze(t);
const times: number[] = [];
const perMessage = allTexts.map((): number[] => []);
for (let round = 0; round < ROUNDS; round++) {
  allTexts.forEach((t, i) => {
    const start = process.hrtime.bigint();
    nlu.analyze(t);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    times.push(ms);
    perMessage[i]?.push(ms);
  });
}
const sorted = (values: number[]): number[] => values.sort((a, b) => a - b);
const quantile = (values: readonly number[], p: number): number => values[Math.min(values.length - 1, Math.floor(p * values.length))] ?? 0;
sorted(times);
const p99 = quantile(times, 0.99);
console.log(`\nlatency per message (${times.length} timed calls): p50 ${quantile(times, 0.5).toFixed(3)} ms, p99 ${p99.toFixed(3)} ms, max ${quantile(times, 1).toFixed(3)} ms`);
// On a shared machine the calls above also time other processes preempting this one. Each message's
// median over the rounds is its own cost; printed for reading, the acceptance stays on the calls above.
const medians = sorted(perMessage.map((m) => quantile(sorted(m), 0.5)));
console.log(`  each message's median over ${ROUNDS} rounds: p50 ${quantile(medians, 0.5).toFixed(3)} ms, p99 ${quantile(medians, 0.99).toFixed(3)} ms, max ${quantile(medians, 1).toFixed(3)} ms`);
if (p99 > ACCEPTANCE.p99Ms) failures.push(`p99 ${p99.toFixed(3)} ms > ${ACCEPTANCE.p99Ms} ms`);

console.log(failures.length === 0 ? '\nPASS: all acceptance thresholds met' : `\nFAIL:\n  ${failures.join('\n  ')}`);
process.exit(failures.length === 0 ? 0 : 1);
