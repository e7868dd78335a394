/**
 * Retrains the intent model from config/nlu/corpus and writes the cache that createNlu() loads.
 * Operators run it after adding examples (the bot also retrains by itself at next start when the corpus
 * changed, because the cache is keyed by a hash of the corpus files).
 *
 *   npm run nlu:train [-- --model data/nlu-model.json]
 */
import path from 'node:path';
import { countByIntent, findConfigDir, readCorpus } from '../src/nlu/corpus.js';
import { createNlu } from '../src/nlu/index.js';
import { INTENTS } from '../src/nlu/types.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const configDir = option('--config') ?? findConfigDir();
const modelPath = option('--model');
const corpus = readCorpus(configDir);
const counts = countByIntent(corpus.examples);
console.log(`corpus: ${corpus.dir}`);
for (const label of INTENTS) console.log(`  ${label.padEnd(16)} ${String(counts[label]).padStart(4)} examples`);
console.log(`  ${'total'.padEnd(16)} ${String(corpus.examples.length).padStart(4)} examples`);

const started = performance.now();
console.log('training natural BayesClassifier…');
const nlu = await createNlu({ configDir, retrain: true, ...(modelPath === undefined ? {} : { modelPath }) });
const ms = Math.round(performance.now() - started);
console.log(`trained in ${ms} ms: ${nlu.info.examples} examples, ${nlu.info.features} features, key ${nlu.info.key}`);
if (nlu.info.cacheError !== undefined) {
  console.error(`could not write the model: ${nlu.info.cacheError}`);
  process.exit(1);
}
console.log(`model written to ${path.relative(process.cwd(), nlu.info.modelPath) || nlu.info.modelPath}`);
