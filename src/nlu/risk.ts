/**
 * The risk flag of the label contract (config/nlu/README.md): the message threatens to go beyond the shop or describes harm,
 * whatever its intent. Word lists (risk-words.ts), not the classifier, decide it: a missed threat costs
 * far more than an extra escalation, and operators must be able to see why a message was flagged.
 */
import { normalize } from './normalize.js';
import {
  ALLERGY,
  ALLERGY_NOT_HARM,
  BAD_REVIEW,
  BAD_REVIEW_NEGATED,
  RISK_RULES,
  THREAT_CATEGORIES,
  THREAT_NEGATION,
  THREAT_RETRACTED_AFTER,
  THREAT_RETRACTED_BEFORE,
  type RiskRule,
} from './risk-words.js';
import type { RiskResult } from './types.js';

/** How far before a threat word its condition (「再不处理我就」) is blanked with it. */
const THREAT_REACH = 8;
/** The last punctuation mark or space in a string (search gives -1 when there is none). */
const LAST_BREAK = /[，。,.!?;；\s](?=[^，。,.!?;；\s]*$)/;
/** Characters either side of a match in which a rule's `harmless` context is looked for. */
const CONTEXT = 8;
// Clause boundaries for the negation check: punctuation, a space, or 就 ("不给退我就投诉": the threat
// starts after 就, so 不 before it negates the refund, not the threat).
const CLAUSE_START = /[，。,.!?;；\s就但可]/g;

/**
 * All rule patterns as one alternation: most messages match none, and one scan tells so instead of one
 * scan per rule (the rules are then looked at one by one as before). Joining is only sound while the
 * patterns share their flags and hold no numbered or named back-references.
 */
function anyOf(rules: readonly RiskRule[]): RegExp {
  const flags = new Set(rules.map((r) => r.pattern.flags));
  if (flags.size > 1) throw new Error(`risk rules must share their RegExp flags, found: ${[...flags].join(', ')}`);
  const backReference = rules.find((r) => /\\(?:[1-9]|k<)/.test(r.pattern.source));
  if (backReference !== undefined) throw new Error(`risk rule with a back-reference cannot be joined: ${backReference.pattern.source}`);
  return new RegExp(rules.map((r) => `(?:${r.pattern.source})`).join('|'), [...flags][0] ?? '');
}

const GLOBAL = RISK_RULES.map((r) => ({ rule: r, re: new RegExp(r.pattern.source, `${r.pattern.flags}g`) }));
const ANY_RULE = anyOf(RISK_RULES);

function clauseBefore(s: string, at: number): string {
  const head = s.slice(Math.max(0, at - 16), at);
  let start = 0;
  for (const m of head.matchAll(CLAUSE_START)) start = m.index + 1;
  return head.slice(start);
}

/** The match is a threat the buyer promises not to carry out, or gives up in the same breath. */
function negatedThreat(s: string, start: number, end: number): boolean {
  if (THREAT_NEGATION.test(clauseBefore(s, start))) return true;
  const before = s.slice(Math.max(0, start - 10), start);
  return THREAT_RETRACTED_BEFORE.test(before) && THREAT_RETRACTED_AFTER.test(s.slice(end));
}

function counts(rule: RiskRule, s: string, start: number, end: number): boolean {
  if (rule.harmless?.test(s.slice(Math.max(0, start - CONTEXT), end + CONTEXT))) return false;
  return !(THREAT_CATEGORIES.has(rule.category) && negatedThreat(s, start, end));
}

function contextual(text: string, word: RegExp, harmless: RegExp, width: number): boolean {
  for (const m of text.matchAll(word)) {
    const window = text.slice(Math.max(0, m.index - width), m.index + m[0].length + 3);
    if (!harmless.test(window) && !negatedThreat(text, m.index, m.index + m[0].length)) return true;
  }
  return false;
}

/** Risk on already-normalised text; the hot path uses this to avoid normalising twice. */
export function detectRiskNormalized(s: string): RiskResult {
  const reasons: string[] = [];
  if (ANY_RULE.test(s)) {
    for (const { rule, re } of GLOBAL) {
      for (const m of s.matchAll(re)) {
        if (!counts(rule, s, m.index, m.index + m[0].length)) continue;
        const reason = `${rule.category}:${m[0]}`;
        if (!reasons.includes(reason)) reasons.push(reason);
        break;
      }
    }
  }
  if (s.includes('过敏') && contextual(s, ALLERGY, ALLERGY_NOT_HARM, 3)) reasons.push('harm:过敏');
  if (s.includes('差评') && contextual(s, BAD_REVIEW, BAD_REVIEW_NEGATED, 6)) reasons.push('exposure:差评');
  return { risk: reasons.length > 0, reasons };
}

// Words of the threat itself that the rules above do not consume (差评 is matched in context below).
const THREAT_WORDS = /差评|投诉/g;

/**
 * The text with its risk words blanked out. The label contract takes the intent of "再不处理我就去 12315" from the
 * rest of the message, so the classifier must not learn that threats mean any one label. Only called
 * for messages already flagged, so 投诉 in "我要投诉这个客服" (no risk) still counts for `service`.
 * Only threat words are blanked: harm words (开胶, 漏电, 起疹) are the product's fault and tell the intent.
 */
export function withoutRiskWords(s: string): string {
  // The whole conditional goes with the threat: in 「你们不处理我就去平台投诉」 the words 不处理 belong to
  // the threat, not to a complaint about the staff. Bounded by the clause, and by THREAT_REACH before it.
  const blank = new Uint8Array(s.length);
  for (const { rule, re } of GLOBAL) {
    if (!THREAT_CATEGORIES.has(rule.category)) continue;
    for (const m of s.matchAll(re)) {
      const head = s.slice(Math.max(0, m.index - THREAT_REACH), m.index);
      const from = m.index - head.length + (head.search(LAST_BREAK) + 1);
      blank.fill(1, from, m.index + m[0].length);
    }
  }
  let out = '';
  for (let i = 0; i < s.length; i++) out += blank[i] === 1 ? (blank[i - 1] === 1 ? '' : ' ') : s[i];
  return out.replace(THREAT_WORDS, ' ');
}

/** Pure: normalises the text, then looks for threats beyond the shop and descriptions of harm. */
export function detectRisk(text: string): RiskResult {
  return detectRiskNormalized(normalize(text));
}
