/**
 * Measures segmentation and feature choices for the intent classifier on identical data:
 * 5-fold cross-validation on the training corpus (what development decisions use), macro-F1 on the
 * held-out set (reported, never tuned on), and analyze() latency. @node-rs/jieba rows need the package
 * installed (`npm i -D @node-rs/jieba`); without it they are reported as skipped.
 *
 *   npx tsx scripts/nlu-compare.ts
 */
import path from 'node:path';
import { createAnalyzer, CLARIFY_THRESHOLD } from '../src/nlu/analyzer.js';
import { FEATURES, SMOOTHING, TEMPERATURE, createFeaturizerFor, trainOn } from '../src/nlu/build.js';
import { findConfigDir, readCorpus, readHeldout, type HeldoutCase, type LabelledText } from '../src/nlu/corpus.js';
import { evaluate } from '../src/nlu/evaluate.js';
import type { FeatureConfig, Featurizer } from '../src/nlu/features.js';
import { compileScorer } from '../src/nlu/model.js';

interface Setup {
  name: string;
  features: FeatureConfig;
  /** Apply config/nlu/shop-dict.txt to the segmenter. */
  dict: boolean;
  smoothing: number;
}

const base = { bigrams: true, unigrams: true, cues: true, focus: true } as const;
const SETUPS: Setup[] = [
  { name: 'production: ICU words+dict, char 1-2g, cues, focus', features: FEATURES, dict: true, smoothing: SMOOTHING },
  { name: 'production without focus (contrast.ts)', features: { ...FEATURES, focus: false }, dict: true, smoothing: SMOOTHING },
  { name: 'production without cues', features: { ...FEATURES, cues: false }, dict: true, smoothing: SMOOTHING },
  { name: 'ICU words (no dict), char 1-2g, cues, focus', features: { ...base, segmenter: 'intl' }, dict: false, smoothing: 0.1 },
  { name: 'jieba words+dict, char 1-2g, cues, focus', features: { ...base, segmenter: 'jieba' }, dict: true, smoothing: 0.1 },
  { name: 'char 1-2g only (no segmenter), cues, focus', features: { ...base, segmenter: 'none' }, dict: false, smoothing: 0.1 },
  { name: 'production, natural default smoothing 1', features: FEATURES, dict: true, smoothing: 1 },
];
const FOLDS = 5;

const asCases = (examples: readonly LabelledText[]): HeldoutCase[] =>
  examples.map((e) => ({ text: e.text, intent: e.intent, risk: false, orderIds: [], phones: [], trackingNumbers: [] }));

function crossValidate(examples: readonly LabelledText[], featurize: Featurizer, smoothing: number): { f1: number; acc: number } {
  let f1 = 0;
  let acc = 0;
  for (let k = 0; k < FOLDS; k++) {
    const scorer = compileScorer(trainOn(examples.filter((_, i) => i % FOLDS !== k), featurize, smoothing), TEMPERATURE);
    const r = evaluate(createAnalyzer(scorer, featurize), asCases(examples.filter((_, i) => i % FOLDS === k)), CLARIFY_THRESHOLD);
    f1 += r.macroF1 / FOLDS;
    acc += r.accuracy / FOLDS;
  }
  return { f1, acc };
}

function latencyMicros(analyze: (t: string) => unknown, texts: readonly string[]): { p50: number; p99: number } {
  for (const t of texts) analyze(t);
  const times: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const t of texts) {
      const start = process.hrtime.bigint();
      analyze(t);
      times.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

const configDir = findConfigDir();
const corpus = readCorpus(configDir);
const heldout = readHeldout(path.join(configDir, 'heldout.jsonl'));
const hard = readHeldout(path.join(configDir, 'heldout-hard.jsonl'));
console.log(`corpus ${corpus.examples.length} examples, held-out ${heldout.length} + hard ${hard.length} cases, ${FOLDS}-fold CV on the corpus`);
console.log(`${'setup'.padEnd(52)} CV-macroF1 CV-acc held-out-F1 hard-F1 p50-µs p99-µs`);

for (const s of SETUPS) {
  let featurize: Featurizer;
  try {
    featurize = await createFeaturizerFor(s.features, s.dict ? corpus.shopDict : '');
  } catch (err) {
    console.log(`${s.name.padEnd(52)} skipped: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    continue;
  }
  const cv = crossValidate(corpus.examples, featurize, s.smoothing);
  const analyze = createAnalyzer(compileScorer(trainOn(corpus.examples, featurize, s.smoothing), TEMPERATURE), featurize);
  const held = evaluate(analyze, heldout, CLARIFY_THRESHOLD);
  const heldHard = evaluate(analyze, hard, CLARIFY_THRESHOLD);
  const lat = latencyMicros(analyze, heldout.map((c) => c.text));
  console.log(
    `${s.name.padEnd(52)} ${cv.f1.toFixed(3).padStart(10)} ${cv.acc.toFixed(3).padStart(6)} ${held.macroF1.toFixed(3).padStart(11)} ${heldHard.macroF1.toFixed(3).padStart(7)} ${lat.p50.toFixed(1).padStart(6)} ${lat.p99.toFixed(1).padStart(6)}`,
  );
}
