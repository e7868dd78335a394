/** One trained model per test run, cached in the OS temp dir so test files share it. */
import os from 'node:os';
import path from 'node:path';
import { createNlu, type Nlu } from '../../src/nlu/index.js';

let shared: Promise<Nlu> | undefined;

export function sharedNlu(): Promise<Nlu> {
  shared ??= createNlu({ modelPath: path.join(os.tmpdir(), `nlu-test-model-${process.getuid?.() ?? 0}.json`) });
  return shared;
}
