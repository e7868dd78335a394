/**
 * How the customer feels, for the agent who picks the case up: a weighted word list (config/sentiment.json)
 * over the customer's own messages, recent ones counting more. Not a classifier: a quick, explainable reading
 * that names the words it found.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILE = [path.join(here, '../../config/sentiment.json'), path.join(here, '../../../config/sentiment.json')].find((p) => fs.existsSync(p));

const schema = z.object({ words: z.record(z.string(), z.number().min(-3).max(3)), intensifiers: z.array(z.string()).default([]) });
type Lexicon = z.infer<typeof schema>;
let lexicon: Lexicon | null = null;

function load(): Lexicon {
  if (!FILE) throw new Error('config/sentiment.json not found');
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(FILE, 'utf8')) as unknown);
  if (!parsed.success) throw new Error(`config/sentiment.json: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export interface Sentiment {
  label: 'angry' | 'negative' | 'neutral' | 'positive';
  score: number;
  /** The words that moved the score, strongest first. */
  cues: string[];
}

export function readSentiment(customerTexts: string[]): Sentiment {
  const lex = (lexicon ??= load());
  let score = 0;
  const cues = new Map<string, number>();
  const recent = customerTexts.slice(-10);
  recent.forEach((text, i) => {
    const weight = 0.5 + (0.5 * (i + 1)) / recent.length;
    for (const [word, w] of Object.entries(lex.words)) {
      if (!text.includes(word)) continue;
      score += w * weight;
      cues.set(word, Math.min(cues.get(word) ?? 0, w));
    }
    if (lex.intensifiers.some((x) => text.includes(x)) && score < 0) score -= weight;
  });
  const rounded = Math.round(score * 10) / 10;
  const label = rounded <= -5 ? 'angry' : rounded <= -1.5 ? 'negative' : rounded >= 1.5 ? 'positive' : 'neutral';
  const ranked = [...cues].sort((a, b) => a[1] - b[1]).map(([w]) => w);
  return { label, score: rounded, cues: ranked.slice(0, 5) };
}
