/**
 * Reading a customer's answer to a survey (score 1–5), a follow-up visit (solved or not) or the showcase
 * consent. Pure: the word lists come from config/followup.json. Anything unclear returns null so the message
 * goes to the dialogue instead of being taken for an answer.
 *
 * Rules, in order: a clicked choice; a digit 1–5 (full-width too, 「5分」「给5分」「五星」); unambiguous score words
 * (满意, 不满意, 差评…) anywhere in a short message; casual words (一般, 还行) only when they are the whole answer;
 * emoji. Conflicting signals of the same rank (「不满意也不算很差」) are ambiguous.
 */
import type { Csat } from '../core/types.js';
import type { AnswerWords } from './config.js';

export const surveyChoiceId = (score: Csat): string => `csat-${score}`;
export const VISIT_SOLVED = 'visit-solved';
export const VISIT_UNSOLVED = 'visit-unsolved';
export const SHOWCASE_YES = 'showcase-yes';
export const SHOWCASE_NO = 'showcase-no';

export interface AnswerMessage {
  kind: string;
  text: string;
  choiceId?: string;
}

export interface ScoreAnswer {
  score: Csat;
  /** Nothing but the answer (and fillers): safe to read as an answer even when other cues are around. */
  pure: boolean;
}

export type Solved = 'solved' | 'unsolved';
export type Consent = 'yes' | 'no';

/** Messages longer than this are not read for words: they say something else. */
const MAX_ANSWER_CHARS = 30;
const MASK = '\u0000';
const CN: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/** Width-folded (full-width digits → ASCII), lower-cased, emoji variation selectors and skin tones removed. */
export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\uFE0F\u200D]|\p{Emoji_Modifier}/gu, '')
    .trim();
}

/** Without spaces and punctuation (emoji and letters stay). */
const compact = (t: string): string => t.replace(/[\s\p{P}~～]+/gu, '');

const asCsat = (n: number): Csat | null => (n >= 1 && n <= 5 && Number.isInteger(n) ? (n as Csat) : null);

const textual = (m: AnswerMessage): boolean => m.kind === 'text' || m.kind === 'choice';

interface Scan {
  /** Scores (or labels) found, one entry per distinct word hit. */
  hits: string[];
  /** The text with every hit masked out. */
  rest: string;
}

/** Finds the words longest first, masking each hit so 「满意」 is not found again inside 「不满意」. */
function scanWords(text: string, lists: [label: string, words: readonly string[]][]): Scan {
  const all = lists
    .flatMap(([label, words], rank) => words.map((w) => ({ label, word: fold(w), rank })))
    .filter((e) => e.word.length > 0)
    .sort((a, b) => b.word.length - a.word.length || a.rank - b.rank);
  let rest = text;
  const hits: string[] = [];
  for (const { label, word } of all) {
    if (!rest.includes(word)) continue;
    hits.push(label);
    rest = rest.split(word).join(MASK);
  }
  return { hits, rest };
}

/** What is left once hits, fillers and masks are removed; empty = the message was only the answer. */
function remainder(rest: string, fillers: readonly string[]): string {
  let out = rest;
  for (const f of [...fillers].map(fold).sort((a, b) => b.length - a.length)) if (f) out = out.split(f).join('');
  return out.split(MASK).join('');
}

const distinct = (xs: string[]): string[] => [...new Set(xs)];

const byScoreLists = (lists: AnswerWords['scoreWords']): [string, string[]][] =>
  (['1', '2', '3', '4', '5'] as const).map((k) => [k, lists[k]]);

/** Score from emoji and WeChat/Douyin text emoticons (「[强]」); returns the text without them. */
function emojiScores(text: string, emoji: AnswerWords['emoji']): Scan {
  const { hits, rest } = scanWords(text, byScoreLists(emoji));
  // Stars: 「⭐⭐⭐⭐」 is four.
  const stars = [...rest].filter((ch) => ch === '⭐' || ch === '★' || ch === '🌟').length;
  const cleaned = rest.replace(/[⭐★🌟]/gu, MASK).replace(/\p{Extended_Pictographic}/gu, MASK);
  if (stars > 0 && stars <= 5) hits.push(String(stars));
  return { hits, rest: cleaned };
}

/** The score a survey answer gives, or null when it gives none or an ambiguous one. */
export function parseScore(message: AnswerMessage, words: AnswerWords): ScoreAnswer | null {
  if (message.kind === 'choice' && message.choiceId) {
    const m = /^csat-([1-5])$/.exec(message.choiceId);
    if (m) return { score: Number(m[1]) as Csat, pure: true };
  }
  if (!textual(message)) return null;
  const folded = fold(message.text);
  if (!folded) return null;

  const emoji = emojiScores(folded, words.emoji);
  const core = compact(emoji.rest.split(MASK).join(' '));

  // A bare digit or 「5分」「给5分」「五星好评」 as the whole answer.
  const whole = /^(?:给|打|评)?个?([1-5一二三四五两])(分|星|颗星)?(?:好评|差评)?$/.exec(core);
  if (whole?.[1]) {
    const digit = whole[1];
    const isCn = digit in CN;
    // A lone Chinese numeral without 分/星 is accepted only for 一…五 (「五」), never 「两」.
    if (!isCn || whole[2] || digit !== '两') {
      const n = isCn ? (CN[digit] as number) : Number(digit);
      const score = asCsat(n);
      if (score) return { score, pure: true };
    }
  }
  if (core.length > MAX_ANSWER_CHARS) return null;

  // 「给你们5分」: one digit followed by 分/星 (not 5分钟, not 15分).
  const digits = distinct([...core.matchAll(/(?<![\d十百])([1-5一二三四五])(?:分|星|颗星)(?!钟)/gu)].map((m) => String(CN[m[1] as string] ?? m[1])));
  const strong = scanWords(core, byScoreLists(words.scoreWords));
  const casual = scanWords(strong.rest, byScoreLists(words.casualScoreWords));
  const left = remainder(casual.rest.replace(/(?:给|打)?([1-5一二三四五])(?:分|星|颗星)(?!钟)/gu, MASK), words.fillers);
  const pure = left.length === 0;

  let picked: string[] = [];
  if (digits.length > 0) picked = digits;
  else if (strong.hits.length > 0) picked = distinct(strong.hits);
  else if (casual.hits.length > 0 && pure) picked = distinct(casual.hits);
  else if (casual.hits.length === 0) picked = distinct(emoji.hits);
  if (picked.length !== 1) return null;
  const score = asCsat(Number(picked[0]));
  return score ? { score, pure } : null;
}

/**
 * Picks among two choices: a click, 「1」/「第二个」 by position, or the words. Words of three characters or more
 * count anywhere in a short message; shorter ones (「是」「没有」) only when they are the whole answer.
 */
function pickOfTwo<T extends string>(
  message: AnswerMessage,
  opts: { ids: [string, string]; labels: [T, T]; words: [readonly string[], readonly string[]]; fillers: readonly string[] },
): T | null {
  if (message.kind === 'choice' && message.choiceId) {
    const i = opts.ids.indexOf(message.choiceId);
    if (i >= 0) return opts.labels[i] as T;
  }
  if (!textual(message)) return null;
  const core = compact(fold(message.text));
  if (!core || core.length > MAX_ANSWER_CHARS) return null;
  const pos = /^(?:第|选)?([12一二])(?:个|项|号)?$/.exec(core);
  if (pos?.[1]) return opts.labels[pos[1] === '1' || pos[1] === '一' ? 0 : 1];
  // Negatives first at equal length: 「没解决」 before 「解决了」.
  const scan = scanWords(core, [
    [opts.labels[1], opts.words[1]],
    [opts.labels[0], opts.words[0]],
  ]);
  const pure = remainder(scan.rest, opts.fillers).length === 0;
  const found = distinct(
    scanWords(core, [
      [opts.labels[1], opts.words[1].filter((w) => pure || fold(w).length >= 3)],
      [opts.labels[0], opts.words[0].filter((w) => pure || fold(w).length >= 3)],
    ]).hits,
  );
  return found.length === 1 ? (found[0] as T) : null;
}

/** 「解决了」/「还没解决」 to a follow-up visit; a clear score counts too (4–5 solved, 1–2 not). */
export function parseSolved(message: AnswerMessage, words: AnswerWords): Solved | null {
  const picked = pickOfTwo<Solved>(message, {
    ids: [VISIT_SOLVED, VISIT_UNSOLVED],
    labels: ['solved', 'unsolved'],
    words: [words.solved, words.unsolved],
    fillers: words.fillers,
  });
  if (picked) return picked;
  if (message.kind === 'choice') return null;
  const score = parseScore(message, words);
  if (!score) return null;
  if (score.score >= 4) return 'solved';
  return score.score <= 2 ? 'unsolved' : null;
}

/** 「可以展示」/「不用了」 to the showcase question. */
export function parseConsent(message: AnswerMessage, words: AnswerWords): Consent | null {
  return pickOfTwo<Consent>(message, {
    ids: [SHOWCASE_YES, SHOWCASE_NO],
    labels: ['yes', 'no'],
    words: [words.consentYes, words.consentNo],
    fillers: words.fillers,
  });
}

/** What the classifier said, when one is available (the dialogue's NLU). */
export interface ComplaintCues {
  intent: string;
  confidence: number;
  risk: boolean;
}

/** Problems with what was delivered or how; a no-fault return (「不想要了」) is a new request, not a complaint. */
const PROBLEM_INTENTS = new Set(['quality', 'logistics', 'wrong_item', 'false_ad', 'service']);
/** Short answers fool the classifier (「可以展示」 reads as false_ad at 0.73): only a confident reading counts. */
export const COMPLAINT_CONFIDENCE = 0.8;

/** A new complaint: one of the configured words, or the classifier sure it names a problem, or a risk. */
export function isComplaint(text: string, words: AnswerWords, cues?: ComplaintCues | null, threshold = COMPLAINT_CONFIDENCE): boolean {
  const core = compact(fold(text));
  if (!core) return false;
  if (words.complaintWords.some((w) => core.includes(compact(fold(w))))) return true;
  if (!cues) return false;
  return cues.risk || (PROBLEM_INTENTS.has(cues.intent) && cues.confidence >= threshold);
}
