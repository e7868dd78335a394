/**
 * The trained model on disk: natural's own JSON plus the key it was trained for. A key mismatch (edited
 * corpus, dictionary or code) means "train again", never "use a stale model".
 */
import fs from 'node:fs';
import path from 'node:path';
import type BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { restoreNatural } from './model.js';

interface ModelFile {
  format: 1;
  key: string;
  createdAt: string;
  examples: number;
  natural: unknown;
}

function isModelFile(value: unknown): value is ModelFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ModelFile>;
  return v.format === 1 && typeof v.key === 'string' && typeof v.natural === 'object' && v.natural !== null;
}

/** The cached classifier when the file exists, parses and was trained for `key`; otherwise null. */
export function loadCachedModel(modelPath: string, key: string): BayesClassifier | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
  } catch {
    // Missing or half-written file: training again is the recovery.
    return null;
  }
  if (!isModelFile(parsed) || parsed.key !== key) return null;
  return restoreNatural(parsed.natural);
}

/** Writes through a temp file and rename, so a web and a worker process starting together never read half a file. */
export function saveModel(modelPath: string, key: string, examples: number, classifier: BayesClassifier): void {
  fs.mkdirSync(path.dirname(modelPath), { recursive: true });
  const file: ModelFile = { format: 1, key, createdAt: new Date().toISOString(), examples, natural: classifier };
  const tmp = `${modelPath}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(file));
  fs.renameSync(tmp, modelPath);
}
