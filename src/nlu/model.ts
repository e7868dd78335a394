/**
 * The intent model: natural's BayesClassifier trained on our features, and a scorer compiled from it.
 */
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { INTENTS, isIntent, type Intent } from './types.js';

/** We always hand natural token arrays; its stemmer is only used if someone passes a string. */
const PASS_THROUGH: BayesClassifier.Stemmer = { tokenizeAndStem: (text) => text.split(' ').filter(Boolean) };

export interface TrainingDoc {
  intent: Intent;
  tokens: string[];
}

/**
 * natural's train() turns every document into a dense 0/1 vector over all known features and apparatus
 * walks that whole vector: O(documents × features), about 8 s of CPU for our corpus. apparatus also
 * accepts a sparse observation (an object whose values are the indexes of the features present) and
 * counts it into the same classFeatures, but only its dense path counts the document itself
 * (totalExamples, classTotals), so this does that part here: the result is the model natural trains
 * (natural.test.ts compares them), in O(tokens) per document. Only training differs; restore() yields a
 * plain BayesClassifier.
 */
class IndexedBayesClassifier extends BayesClassifier {
  override train(): void {
    const index = new Map<string, number>(Object.keys(this.features).map((k, i) => [k, i]));
    const model = this.classifier;
    for (; this.lastAdded < this.docs.length; this.lastAdded++) {
      const doc = this.docs[this.lastAdded];
      if (doc === undefined) continue;
      const sparse: Record<string, number> = {};
      for (const token of new Set(doc.text)) {
        const i = index.get(token);
        if (i !== undefined) sparse[token] = i;
      }
      model.addExample(sparse, doc.label);
      model.totalExamples += 1;
      model.classTotals[doc.label] = (model.classTotals[doc.label] ?? 1) + 1;
    }
    model.train();
  }
}

/** `smoothing` is apparatus' pseudo-count for a feature never seen with a label (natural's default is 1). */
export function trainNatural(docs: readonly TrainingDoc[], smoothing?: number): BayesClassifier {
  const classifier = new IndexedBayesClassifier(PASS_THROUGH, smoothing);
  for (const doc of docs) classifier.addDocument(doc.tokens, doc.intent);
  classifier.train();
  return classifier;
}

/** Rebuilds a classifier from the JSON that JSON.stringify(classifier) produced. */
export function restoreNatural(json: unknown): BayesClassifier {
  return BayesClassifier.restore(json, PASS_THROUGH);
}

export interface Scorer {
  readonly labels: readonly Intent[];
  readonly featureCount: number;
  /** Posterior per label (aligned with `labels`, sums to 1) and how many tokens the model knew. */
  score(tokens: readonly string[]): { posterior: Float64Array; known: number };
}

/**
 * Compiles natural's counts into a dense log table. natural's own classify() rebuilds a 0/1 vector over
 * every known feature for each message (O(features) per call) and returns p(C)·exp(Σ log p(f|C)), which
 * underflows to 0 for all labels once a message has ~150 features. The table gives the same ranking in
 * O(tokens × labels), stays in log space, and turns scores into a posterior with a softmax.
 *
 * `temperature` > 1 softens naive Bayes' overconfidence, which comes from counting overlapping bigrams
 * and words as independent evidence; it changes confidence only, never the ranking.
 */
export function compileScorer(classifier: BayesClassifier, temperature: number): Scorer {
  const model = classifier.classifier;
  const labels = INTENTS.filter((l) => model.classFeatures[l] !== undefined);
  const unknown = Object.keys(model.classFeatures).find((l) => !isIntent(l));
  if (unknown !== undefined) throw new Error(`model has a label outside the label contract (config/nlu/README.md): ${unknown}`);
  const keys = Object.keys(classifier.features);
  const index = new Map<string, number>(keys.map((k, i) => [k, i]));
  const L = labels.length;
  const table = new Float64Array(keys.length * L);
  const prior = new Float64Array(L);
  labels.forEach((label, l) => {
    const total = model.classTotals[label] ?? 1;
    const counts = model.classFeatures[label] ?? {};
    prior[l] = Math.log(total / model.totalExamples);
    for (let i = 0; i < keys.length; i++) table[i * L + l] = Math.log((counts[i] || model.smoothing) / total);
  });

  return {
    labels,
    featureCount: keys.length,
    score(tokens) {
      const s = Float64Array.from(prior);
      let known = 0;
      for (const token of tokens) {
        const i = index.get(token);
        if (i === undefined) continue;
        known += 1;
        const row = i * L;
        for (let l = 0; l < L; l++) s[l] = (s[l] ?? 0) + (table[row + l] ?? 0);
      }
      let max = -Infinity;
      for (let l = 0; l < L; l++) max = Math.max(max, s[l] ?? 0);
      let sum = 0;
      for (let l = 0; l < L; l++) {
        const e = Math.exp(((s[l] ?? 0) - max) / temperature);
        s[l] = e;
        sum += e;
      }
      for (let l = 0; l < L; l++) s[l] = (s[l] ?? 0) / sum;
      return { posterior: s, known };
    },
  };
}
