/**
 * Message understanding: intent (natural Bayes + rules), risk flag and entities, as the label contract in config/nlu/README.md
 * defines them. createNlu() loads the cached model or trains it from config/nlu and caches it.
 */
import path from 'node:path';
import { createAnalyzer } from './analyzer.js';
import { FEATURES, TEMPERATURE, createFeaturizerFor, modelSalt, trainOn } from './build.js';
import { corpusKey, findConfigDir, readCorpus } from './corpus.js';
import { loadCachedModel, saveModel } from './model-cache.js';
import { compileScorer } from './model.js';
import type { Nlu, NluInfo } from './types.js';

export { CLARIFY_THRESHOLD } from './analyzer.js';
export { extractEntities } from './entities.js';
export { normalize } from './normalize.js';
export { bigrams } from './overlap.js';
export { detectRisk } from './risk.js';
export { INTENTS, isIntent } from './types.js';
export type { Analysis, Entities, Intent, Nlu, NluInfo, RiskResult } from './types.js';

export interface CreateNluOptions {
  /** Where the trained model is cached; default `<dataDir>/nlu-model.json`. */
  modelPath?: string;
  /** Default `./data`, the project's DATA_DIR default. */
  dataDir?: string;
  /** Folder holding corpus/, shop-dict.txt and heldout.jsonl; default the repository's config/nlu. */
  configDir?: string;
  /** Train from the corpus even when the cache is current (the operators' retrain command). */
  retrain?: boolean;
}

export async function createNlu(opts: CreateNluOptions = {}): Promise<Nlu> {
  const configDir = opts.configDir ?? findConfigDir();
  const corpus = readCorpus(configDir);
  const key = corpusKey(corpus, modelSalt());
  const modelPath = path.resolve(opts.modelPath ?? path.join(opts.dataDir ?? 'data', 'nlu-model.json'));
  const featurize = await createFeaturizerFor(FEATURES, corpus.shopDict);

  let classifier = opts.retrain === true ? null : loadCachedModel(modelPath, key);
  let source: NluInfo['source'] = 'cache';
  let cacheError: string | undefined;
  if (classifier === null) {
    classifier = trainOn(corpus.examples, featurize);
    source = 'trained';
    try {
      saveModel(modelPath, key, corpus.examples.length, classifier);
    } catch (err) {
      // A read-only data dir must not stop the bot: the model works from memory, next start trains again.
      cacheError = err instanceof Error ? err.message : String(err);
    }
  }
  const scorer = compileScorer(classifier, TEMPERATURE);
  const info: NluInfo = {
    source,
    modelPath,
    key,
    examples: corpus.examples.length,
    features: scorer.featureCount,
    ...(cacheError === undefined ? {} : { cacheError }),
  };
  return { analyze: createAnalyzer(scorer, featurize), info };
}
