/**
 * Corpus files under config/nlu: one training file per label (plain lines, `#` comments), the shop
 * dictionary, and the held-out evaluation set, which no training path reads.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { INTENTS, isIntent, type Intent } from './types.js';

export interface LabelledText {
  text: string;
  intent: Intent;
}

export interface CorpusFiles {
  dir: string;
  examples: LabelledText[];
  /** Raw contents by file name, for the cache key. */
  contents: Record<string, string>;
  shopDict: string;
}

/** Finds config/nlu by walking up from this module, so scripts and the CLI work from any cwd. */
export function findConfigDir(start = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'config', 'nlu');
    if (fs.existsSync(path.join(candidate, 'corpus'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`config/nlu/corpus not found above ${start}`);
  }
}

/** Reads config/nlu/corpus/<label>.txt for every label; a file for an unknown label is an error. */
export function readCorpus(configDir: string): CorpusFiles {
  const dir = path.join(configDir, 'corpus');
  const contents: Record<string, string> = {};
  const examples: LabelledText[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.txt')) continue;
    const label = name.slice(0, -4);
    if (!isIntent(label)) throw new Error(`${path.join(dir, name)}: "${label}" is not a label of the contract in config/nlu/README.md`);
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    contents[name] = text;
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t.length > 0 && !t.startsWith('#')) examples.push({ text: t, intent: label });
    }
  }
  const missing = INTENTS.filter((l) => !examples.some((e) => e.intent === l));
  if (missing.length > 0) throw new Error(`${dir}: no examples for ${missing.join(', ')}`);
  const dictPath = path.join(configDir, 'shop-dict.txt');
  const shopDict = fs.existsSync(dictPath) ? fs.readFileSync(dictPath, 'utf8') : '';
  return { dir, examples, contents, shopDict };
}

/** Changes whenever a corpus file, the shop dictionary, the feature setup or the code version changes. */
export function corpusKey(corpus: CorpusFiles, salt: string): string {
  const h = createHash('sha256').update(salt).update('\0').update(corpus.shopDict);
  for (const name of Object.keys(corpus.contents).sort()) {
    h.update('\0').update(name).update('\0').update(corpus.contents[name] ?? '');
  }
  return h.digest('hex').slice(0, 32);
}

export function countByIntent(items: readonly { intent: Intent }[]): Record<Intent, number> {
  const counts = Object.fromEntries(INTENTS.map((i) => [i, 0])) as Record<Intent, number>;
  for (const item of items) counts[item.intent] += 1;
  return counts;
}

const heldoutLine = z.object({
  text: z.string(),
  intent: z.enum(INTENTS),
  risk: z.boolean(),
  orderIds: z.array(z.string()).default([]),
  phones: z.array(z.string()).default([]),
  trackingNumbers: z.array(z.string()).default([]),
});

export type HeldoutCase = z.infer<typeof heldoutLine>;

/** The evaluation set: JSON lines with the expected intent, risk flag and entities. */
export function readHeldout(file: string): HeldoutCase[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, n }) => {
      const parsed = heldoutLine.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${n}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return parsed.data;
    });
}
