/**
 * The classifier every test process shares: trained once from config/nlu and cached in the OS temp folder, so
 * test files (and later runs) load it instead of training per data folder. The harness hands it to
 * createServices; tests that read the classifier directly use the same one.
 */
import os from 'node:os';
import path from 'node:path';
import { createNlu, type Nlu } from '../../src/nlu/index.js';

let shared: Promise<Nlu> | undefined;

export function testClassifier(): Promise<Nlu> {
  shared ??= createNlu({ modelPath: path.join(os.tmpdir(), `asa-test-nlu-${process.getuid?.() ?? 0}.json`) });
  return shared;
}
