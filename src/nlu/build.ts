/**
 * Training from labelled texts with a given feature setup. Shared by createNlu, the retrain command and
 * the comparison script, so all of them measure exactly what production runs.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import type { LabelledText } from './corpus.js';
import { createFeaturizer, type FeatureConfig, type Featurizer } from './features.js';
import { trainNatural } from './model.js';
import { normalize } from './normalize.js';
import { detectRiskNormalized, withoutRiskWords } from './risk.js';
import { createSegmenter } from './segment.js';

/** Bump to force every cached model to retrain (source edits already do; see modelSalt). */
export const CODE_VERSION = 'nlu-1';

/**
 * The production feature setup, picked with scripts/nlu-compare.ts: ICU words (with the shop dictionary),
 * character unigrams and bigrams, cue features and focus features (contrast.ts), at natural smoothing 0.1.
 */
export const FEATURES: FeatureConfig = { segmenter: 'intl', bigrams: true, unigrams: true, cues: true, focus: true };

/** Pseudo-count for features unseen with a label; see trainNatural. */
export const SMOOTHING = 0.1;

/**
 * Softmax temperature of the posterior; see compileScorer. 4 minimised log-loss and calibration error
 * (ECE 0.02) in 5-fold cross-validation on the corpus, so confidence 0.6 means about 60% right.
 */
export const TEMPERATURE = 4;

/**
 * Everything besides the corpus files that a cached model depends on. The NLU source files are hashed
 * too, so a changed featurizer can never be paired with a model trained on the old features.
 */
export function modelSalt(): string {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const h = createHash('sha256').update(`${CODE_VERSION}\0${JSON.stringify(FEATURES)}\0${SMOOTHING}`);
  for (const name of fs.readdirSync(dir).sort()) {
    if (/\.(?:ts|js)$/.test(name) && !name.endsWith('.d.ts')) h.update('\0').update(fs.readFileSync(path.join(dir, name)));
  }
  return h.digest('hex');
}

export async function createFeaturizerFor(config: FeatureConfig, shopDict: string): Promise<Featurizer> {
  return createFeaturizer(config, await createSegmenter(config.segmenter, shopDict));
}

/** What the classifier reads of a text: normalised, and without its threat words (see withoutRiskWords). */
export function textForIntent(text: string): string {
  const normalized = normalize(text);
  return detectRiskNormalized(normalized).risk ? withoutRiskWords(normalized) : normalized;
}

export function trainOn(examples: readonly LabelledText[], featurize: Featurizer, smoothing = SMOOTHING): BayesClassifier {
  return trainNatural(
    examples.map((e) => ({ intent: e.intent, tokens: featurize(textForIntent(e.text)) })),
    smoothing,
  );
}
