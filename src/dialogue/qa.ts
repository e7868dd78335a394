/**
 * The shop's own questions and answers (config/qa.json): operators add entries, each with several phrasings
 * and one answer. A question matches by meaning as far as the NLU's character-bigram similarity reaches
 * (「你们能开增值税专用发票吗」 meets 「可以开增值税专用发票吗」), clause by clause, so a message that asks
 * two things gets the two answers and nothing else. Validated at start: a broken file stops it with one line.
 */
import path from 'node:path';
import { z } from 'zod';
import { bigrams } from '../nlu/index.js';
import { projectRoot } from '../paths.js';
import { loadJsonWith, parseWith } from './policies.js';

const qaSchema = z.object({
  schemaVersion: z.literal(1),
  /**
   * Share (0–1) of the shorter text's character bigrams that the clause and a phrasing have in common for
   * the clause to count as that phrasing; two shared bigrams at least, whatever the share.
   */
  minSimilarity: z.number().min(0.3).max(1),
  entries: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _'),
        phrasings: z.array(z.string().trim().min(2)).min(2, 'give at least two phrasings'),
        answer: z.string().trim().min(4).max(500),
      }),
    )
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((e, i) => {
        if (seen.has(e.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id ${e.id}` });
        seen.add(e.id);
      });
    }),
});

export type QaBook = z.infer<typeof qaSchema>;
export type QaEntry = QaBook['entries'][number];

export function parseQa(raw: unknown, source = 'qa'): QaBook {
  return parseWith(qaSchema, raw, source);
}

export function loadQa(file = path.join(projectRoot, 'config/qa.json')): QaBook {
  return loadJsonWith(qaSchema, file);
}

function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared += 1;
  return shared < 2 ? 0 : shared / Math.min(a.size, b.size);
}

/** The entries the message asks about, one per clause at most, in the order asked, with the clause. */
export function matchQa(book: QaBook, text: string): { entry: QaEntry; clause: string }[] {
  const index = book.entries.map((e) => ({ e, grams: e.phrasings.map((p) => bigrams(p)) }));
  const found: { entry: QaEntry; clause: string }[] = [];
  for (const clause of text.split(/[，,。.!！?？;；\n]+/)) {
    const mine = bigrams(clause);
    if (mine.size < 2) continue;
    let best: { e: QaEntry; score: number } | null = null;
    for (const { e, grams } of index) {
      const score = Math.max(...grams.map((g) => similarity(mine, g)));
      if (score >= book.minSimilarity && (!best || score > best.score)) best = { e, score };
    }
    if (best && !found.some((f) => f.entry === best.e)) found.push({ entry: best.e, clause });
  }
  return found;
}
