/**
 * What a shopper says about the conversation itself rather than the problem: a hazard that needs safety
 * advice first, "算了，不用登记了", the new value in a correction ("不是宣传的问题，是质量问题"), a question
 * about the rules, and when the parcel was signed for ("签收十天了", "上周三收到的"). Pure readings of the
 * NLU-normalised text against the lexicon and the policy file.
 */
import { bare, includesAny, type Lexicon } from './lexicon.js';
import { containsAny, type Policies } from './policies.js';

/** Safety advice templates for the hazards a message names, in policy-file order, without repeats. */
export function safetyAdviceOf(p: Policies, normalized: string): string[] {
  return [...new Set(p.safetyAdvice.filter((a) => containsAny(normalized, a.words)).map((a) => a.template))];
}

/** "算了，不用登记了", "取消": stop the intake. Not when the same message asks for something else. */
export function isCancel(lex: Lexicon, normalized: string): boolean {
  const b = bare(normalized);
  return includesAny(b, lex.cancel) && !includesAny(b, lex.noFaultCues);
}

/**
 * Nothing but the cancelling words (and a particle or two): the classifier's guess of a problem in
 * 「算了，不用登记了」 says nothing about a problem, so the cancel wins over it.
 */
export function onlyCancel(lex: Lexicon, normalized: string): boolean {
  let rest = bare(normalized);
  for (const w of [...lex.cancel].sort((a, b) => b.length - a.length)) rest = rest.split(w).join('');
  return isCancel(lex, normalized) && rest.replace(/[吧啊呀了哈嗯哦呢的吗么]/g, '').length <= 2;
}

/** A question (not a statement), so a rule word in it asks about the rule instead of opening a case. */
export function isQuestion(lex: Lexicon, normalized: string): boolean {
  return /[?？]/.test(normalized) || includesAny(bare(normalized), lex.questionCues);
}

const CORRECTED = /(?:不是|搞错|弄错|错了|不对|说错|选错)[^是]*?(?:而|应该|其实)?是(.+)$/;

/** The part of a correction that states the new value: "…，是质量问题" → "质量问题"; null when none. */
export function correctedPart(normalized: string): string | null {
  const m = CORRECTED.exec(normalized);
  const part = m?.[1]?.trim();
  return part && part.length >= 2 ? part : null;
}

const CN_NUM: Record<string, number> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 半: 0 };
const WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const SIGNED = /(?:签收|收到|到货|拿到|到手)/;

function cnNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '十') return 10;
  const tens = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (tens) return (tens[1] ? (CN_NUM[tens[1]] ?? 1) : 1) * 10 + (tens[2] ? (CN_NUM[tens[2]] ?? 0) : 0);
  return CN_NUM[s] ?? null;
}

/**
 * Whole days since the shopper says the parcel was signed for, or null when the message says nothing of it.
 * `weekday` is today's ISO weekday (1 = Monday), for "上周三收到的".
 */
export function statedSignedDaysAgo(normalized: string, weekday: number): number | null {
  if (!SIGNED.test(normalized)) return null;
  const days = /(?:签收|收到|到货|拿到|到手)[^，,。]{0,3}?(\d+|[一二两三四五六七八九十]{1,3})(天|周|个星期|星期)/.exec(normalized)
    ?? /(\d+|[一二两三四五六七八九十]{1,3})(天|周|个星期|星期)(?:前|之前|了)?[^，,。]{0,4}(?:签收|收到|到货|拿到|到手)/.exec(normalized);
  if (days?.[1]) {
    const n = cnNumber(days[1]);
    if (n !== null) return days[2] === '天' ? n : n * 7;
  }
  if (/今天(?:才)?(?:签收|收到|到)/.test(normalized)) return 0;
  if (/昨天/.test(normalized)) return 1;
  if (/大前天/.test(normalized)) return 3;
  if (/前天/.test(normalized)) return 2;
  const lastWeek = /上(?:周|个?星期|个?礼拜)([一二三四五六日天])/.exec(normalized);
  if (lastWeek?.[1]) return weekday + 7 - (WEEKDAY[lastWeek[1]] ?? 7);
  return null;
}
