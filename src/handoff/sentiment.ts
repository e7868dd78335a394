/**
 * How the customer feels, for the agent who picks the case up: a weighted word list (config/sentiment.json)
 * over the customer's own messages, recent ones counting more. Not a classifier: a quick, explainable reading
 * that names the words it found. Read per phrase with negation: 「不太满意」 and 「不喜欢」 count against, 「不生气」
 * and 「不会投诉」 count for nothing, and a word inside a longer listed one (满意 in 不满意) is read once.
 */
import { z } from 'zod';

const schema = z.object({ words: z.record(z.string(), z.number().min(-3).max(3)), intensifiers: z.array(z.string()).default([]) });
/** config/sentiment.json, validated once at start-up (src/operator-data.ts). */
export type SentimentWords = z.infer<typeof schema>;

export function parseSentimentWords(raw: unknown, source = 'config/sentiment.json'): SentimentWords {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export interface Sentiment {
  label: 'angry' | 'negative' | 'neutral' | 'positive';
  score: number;
  /** The words that moved the score, strongest first. */
  cues: string[];
}

/** A negation right before a word: 不, 没(有), 别, 并不, 不太, 不是很, 不怎么, 一点(也/都)不, 毫不, 不会. */
const NEGATED_BEFORE = /(?:不|没有?|别|并不|不太|不是很|不怎么|一点[也都]不|毫不|不会|不会去|不想)$/;

/** Each listed word's occurrences in `text` with its weight after negation; longer words claim their span first. */
function readings(lex: SentimentWords, text: string): { word: string; weight: number }[] {
  const taken: [number, number][] = [];
  const out: { word: string; weight: number }[] = [];
  const words = Object.entries(lex.words).sort((a, b) => b[0].length - a[0].length);
  for (const [word, w] of words) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
      const end = at + word.length;
      if (taken.some(([a, b]) => at < b && end > a)) continue;
      taken.push([at, end]);
      const negated = NEGATED_BEFORE.test(text.slice(Math.max(0, at - 4), at));
      // 「不太满意」 is displeasure; 「不生气」 is no feeling worth counting.
      out.push({ word: negated && w > 0 ? `不${word}` : word, weight: negated ? (w > 0 ? -Math.max(1, w) : 0) : w });
    }
  }
  return out;
}

export function readSentiment(lex: SentimentWords, customerTexts: string[]): Sentiment {
  let score = 0;
  const cues = new Map<string, number>();
  const recent = customerTexts.slice(-10);
  recent.forEach((text, i) => {
    const weight = 0.5 + (0.5 * (i + 1)) / recent.length;
    for (const { word, weight: w } of readings(lex, text)) {
      if (w === 0) continue;
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
