/**
 * The words the intake listens for beside the classifier (config/dialogue.json): yes/no, corrections, the
 * resolution a customer asks for, "I have no photo". Operators extend the lists without touching code.
 * All matching runs on the NLU-normalised text (width-folded, lower-case, simplified).
 */
import path from 'node:path';
import { z } from 'zod';
import { CASE_CATEGORIES, RESOLUTIONS, type CaseCategory, type Resolution } from '../core/types.js';
import { projectRoot } from '../paths.js';
import { loadJsonWith, parseWith } from './policies.js';

const words = z.array(z.string().min(1)).min(1);
const resolution = z.enum(RESOLUTIONS as unknown as [Resolution, ...Resolution[]]);
const category = z.enum(CASE_CATEGORIES as unknown as [CaseCategory, ...CaseCategory[]]);

export const lexiconSchema = z.object({
  schemaVersion: z.literal(1),
  yes: words,
  no: words,
  correction: words,
  resolutions: z.record(resolution, words),
  noResolution: words,
  noEvidence: words,
  problemCues: words,
  orderWords: words,
  anotherCase: words,
  fillers: words,
  noFaultCues: words,
  whereIsOrderId: words,
  /** Stop the intake: 算了, 不用登记了, 取消. */
  cancel: words,
  /** Marks a question, so a rule word asks about the rule (运费谁出) instead of asking for a resolution. */
  questionCues: words,
  /** Refund words that leave open whether the goods go back (退款, 退钱), and those that settle it (仅退款, 不用寄回). */
  refundOpen: words,
  refundOnly: words,
  /** A change of mind about the wish (「还是退款吧」, 「那就换货吧」): after filing, it changes the case just filed. */
  changeMind: words,
  /** Answers to "did the parcel arrive?" after 催件; `notArrived` is read first (没收到 contains 收到). */
  arrived: words,
  notArrived: words,
  /** Words naming a problem type, read in corrections (「不是宣传的问题，是质量问题」) before the classifier. */
  categoryWords: z.partialRecord(category, words),
});

export type Lexicon = z.infer<typeof lexiconSchema>;

export function parseLexicon(raw: unknown, source = 'dialogue'): Lexicon {
  return parseWith(lexiconSchema, raw, source);
}

export function loadLexicon(file = path.join(projectRoot, 'config/dialogue.json')): Lexicon {
  return loadJsonWith(lexiconSchema, file);
}

const FILLER = /[\s\p{P}\p{S}]|[啊呀吧哦噢呢哈嘛啦喔哟~～]/gu;

/** The text without punctuation, spaces and sentence particles: what "确认～" and "好的呀！" share. */
export function bare(normalized: string): string {
  return normalized.replace(FILLER, '');
}

export const includesAny = (text: string, list: readonly string[]): boolean => list.some((w) => text.includes(w));

export type YesNo = 'yes' | 'no' | null;

/** A short agreement or refusal; longer messages are left to slot extraction. */
export function yesNo(lex: Lexicon, normalized: string): YesNo {
  const b = bare(normalized);
  if (b.length === 0) return null;
  if (includesAny(b, lex.no)) return 'no';
  if (b.length <= 8 && lex.yes.some((w) => b === w || b.startsWith(w))) return 'yes';
  return null;
}

export function isCorrection(lex: Lexicon, normalized: string): boolean {
  return includesAny(bare(normalized), lex.correction);
}

export interface ResolutionHit {
  resolution: Resolution;
  /** Matched words, to strip them before classifying the problem. */
  words: string[];
  /** Every resolution asked for (not negated), in the order said: 「换一双，另外要点补偿」 → exchange, compensation. */
  wanted: Resolution[];
  /** One was turned down (「不要退款了」): a change of mind when another is wanted. */
  declined: boolean;
}

/**
 * The resolution asked for: longest words first so 退货退款 wins over 退货 and 退款; when several are named
 * ("不换了，退款吧") the last one mentioned counts.
 */
export function findResolution(lex: Lexicon, normalized: string): ResolutionHit | null {
  const all = Object.entries(lex.resolutions).flatMap(([r, list]) => list.map((w) => ({ r: r as Resolution, w: w.toLowerCase() })));
  all.sort((a, b) => b.w.length - a.w.length);
  let text = normalized;
  const hits: { r: Resolution; w: string; at: number }[] = [];
  for (const { r, w } of all) {
    for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + w.length)) {
      hits.push({ r, w, at });
      text = text.slice(0, at) + '\u0000'.repeat(w.length) + text.slice(at + w.length);
    }
  }
  if (hits.length === 0) return null;
  hits.sort((a, b) => a.at - b.at);
  const negated = (h: { at: number }): boolean => /不(?:要|想|用|需要)?$|别$/.test(normalized.slice(Math.max(0, h.at - 3), h.at));
  const wanted = hits.filter((h) => !negated(h));
  const last = wanted[wanted.length - 1];
  if (!last) return null;
  return { resolution: last.r, words: hits.map((h) => h.w), wanted: [...new Set(wanted.map((h) => h.r))], declined: wanted.length < hits.length };
}

/** The problem type a short phrase names by its words (「质量问题」, 「发错货」), or null. */
export function namedCategory(lex: Lexicon, phrase: string): CaseCategory | null {
  const found = Object.entries(lex.categoryWords).find(([, list]) => includesAny(phrase, list ?? []));
  return found ? (found[0] as CaseCategory) : null;
}

/** Removes order ids, order words and resolution words: what is left describes the problem itself. */
export function problemText(lex: Lexicon, normalized: string, strip: { orderIds: string[]; words: string[] }): string {
  let t = normalized;
  for (const id of strip.orderIds) t = t.split(id).join(' ');
  for (const w of [...strip.words, ...lex.orderWords].sort((a, b) => b.length - a.length)) t = t.split(w.toLowerCase()).join(' ');
  return t.replace(/\s+/g, ' ').trim();
}

/** Han letters and alphanumerics: how much a message actually says. */
export function contentLength(text: string): number {
  return text.match(/[\p{Script=Han}a-z0-9]/giu)?.length ?? 0;
}
