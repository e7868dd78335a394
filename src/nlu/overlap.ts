/**
 * Near-duplicate check between the held-out splits and the training corpus: a held-out line that is
 * the corpus line with one word changed measures memory, not understanding. Similarity is the Jaccard
 * index of the two texts' character-bigram sets after normalisation (punctuation and spaces removed).
 */
import { normalize } from './normalize.js';

/** Pairs at or above this similarity count as near-duplicates; nlu-eval refuses to score with any. */
export const NEAR_DUPLICATE = 0.6;

/**
 * Texts shorter than this (in Chinese characters, Latin words and digit runs) are not checked: openers and
 * acknowledgements (在吗, 好的谢谢) are a small closed set that any two samples share, and the rules of
 * rules.ts, not the corpus, decide them.
 */
export const MIN_CHECKED_CHARS = 8;

export interface Overlap {
  /** Highest similarity of any checked held-out text to any corpus text. */
  max: number;
  /** Held-out texts with a corpus text at or above NEAR_DUPLICATE, with that text and the similarity. */
  pairs: { heldout: string; corpus: string; similarity: number }[];
  /** Held-out texts too short to be checked (see MIN_CHECKED_CHARS). */
  short: number;
}

const UNITS = /\p{Script=Han}|[a-z]+|\d+/gu;
const strip = (text: string): string => normalize(text).replace(/[\p{P}\p{S}\s]/gu, '');

/** The character bigrams of a text after normalisation (punctuation and spaces removed). */
export function bigrams(text: string): Set<string> {
  const s = strip(text);
  const out = new Set<string>();
  if (s.length === 1) out.add(s);
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

export function overlap(heldout: readonly string[], corpus: readonly string[]): Overlap {
  const grams = corpus.map(bigrams);
  // Inverted index bigram → corpus lines, so each held-out text only meets lines it shares a bigram with.
  const index = new Map<string, number[]>();
  grams.forEach((set, i) => {
    for (const g of set) {
      const list = index.get(g) ?? [];
      list.push(i);
      index.set(g, list);
    }
  });
  let max = 0;
  let short = 0;
  const pairs: Overlap['pairs'] = [];
  for (const text of heldout) {
    if ((normalize(text).match(UNITS)?.length ?? 0) < MIN_CHECKED_CHARS) {
      short += 1;
      continue;
    }
    const mine = bigrams(text);
    const shared = new Map<number, number>();
    for (const g of mine) for (const i of index.get(g) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
    let best = 0;
    let bestAt = -1;
    for (const [i, n] of shared) {
      const similarity = n / (mine.size + (grams[i]?.size ?? 0) - n);
      if (similarity > best) [best, bestAt] = [similarity, i];
    }
    max = Math.max(max, best);
    if (best >= NEAR_DUPLICATE) pairs.push({ heldout: text, corpus: corpus[bestAt] ?? '', similarity: best });
  }
  return { max, pairs, short };
}
