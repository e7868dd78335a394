/**
 * Understanding one customer message for the intake: the classifier's reading plus the slot values it
 * carries (order id, resolution, photos, a picked choice). Pure: the analyser is passed in.
 */
import type { CaseCategory, Choice, EvidenceRef, InboundMessage, MessageKind, Resolution } from '../core/types.js';
import { CASE_CATEGORIES } from '../core/types.js';
import { normalize, type Analysis, type Intent } from '../nlu/index.js';
import {
  bare,
  contentLength,
  findResolution,
  includesAny,
  isCorrection,
  namedCategory,
  problemText,
  yesNo,
  type Lexicon,
  type YesNo,
} from './lexicon.js';
import { correctedPart, isCancel, isQuestion, onlyCancel, safetyAdviceOf, statedSignedDaysAgo } from './listening.js';
import { containsAny, matchPolicyTopics, type Policies } from './policies.js';
import type { OrderCheck } from '../core/order-lookup.js';
import { matchQa, type QaBook } from './qa.js';

export type { OrderCheck } from '../core/order-lookup.js';

/**
 * 「换成藏青色的」, 「换个大一码的」: what follows an exchange word is the variant the shopper wants, not a
 * problem (a colour named there would otherwise read as a wrong item).
 */
function namesWantedVariant(lex: Lexicon, normalized: string, hit: ReturnType<typeof findResolution>, coreLength: number): boolean {
  const oneClause = !/[，,。.!！?？;；\s]/.test(normalized.trim());
  return hit?.resolution === 'exchange' && oneClause && coreLength <= 6 && /换成|换个|换一[个件条双套]/.test(normalized) && !includesAny(bare(normalized), lex.problemCues);
}

export interface Turn {
  rowId: string;
  now: number;
  kind: MessageKind;
  enterSession: boolean;
  text: string;
  analysis: Analysis;
  /** Intent after the problem words were read apart from order ids and resolution words. */
  intent: Intent;
  confidence: number;
  /** confidence reaches the classifier's clarify threshold. */
  confident: boolean;
  /** A problem category the message states with enough confidence. */
  category: CaseCategory | null;
  /** The message names a problem but the classifier is unsure which. */
  unsureProblem: boolean;
  /** The message text as a description candidate (order ids removed), or null when it says too little. */
  description: string | null;
  orderIds: string[];
  /** 抖店's answer per order id (filled by the bot before the step; empty = format check only). */
  orderChecks: Record<string, OrderCheck>;
  /** Digits that look like a mistyped order number, or a phone / tracking number given instead. */
  wrongNumber: 'digits' | 'phone' | 'tracking' | null;
  resolution: Resolution | null;
  noResolution: boolean;
  evidence: EvidenceRef[];
  /** An explicit request for a person (转人工, 找主管). */
  humanRequest: boolean;
  /** The choice picked by click, number or label. */
  choiceId: string | null;
  yesNo: YesNo;
  correction: boolean;
  noEvidence: boolean;
  safetyHazard: boolean;
  /** Safety advice templates for the hazards named (停止使用, 断电, 就医): said before anything else. */
  safetyAdvice: string[];
  damageInTransit: boolean;
  policyTemplates: string[];
  /** The message is a question (吗, 多久, 谁出…). */
  question: boolean;
  /** "算了，不用登记了", "取消". */
  cancel: boolean;
  /** 「不要退款了，换一个」: one resolution turned down for `resolution`. */
  changesMind: boolean;
  /** Further wishes beside `resolution` (「换一个，另外要点补偿」); empty for a change of mind (「不换了，退款吧」). */
  moreResolutions: Resolution[];
  /** 「还是退款吧」: a refund without saying whether the goods go back (退货退款 or 仅退款). */
  refundKindOpen: boolean;
  /** Days since sign-for as the shopper states them ("签收十天了"), or null. */
  signedDaysAgo: number | null;
  /** Asks where to find the order number ("订单号在哪里看"). */
  asksWhereOrderId: boolean;
  /** Mentions another, new problem ("还有个问题"). */
  anotherCase: boolean;
  /** The shop's own Q&A entries the message asks about (config/qa.json), in the order asked. */
  qa: { id: string; answer: string }[];
  /** Says whether the parcel came (「收到了」 / 「还没到」), for the 催件 check. */
  arrival: 'yes' | 'no' | null;
}

export interface TurnDeps {
  analyze(text: string): Analysis;
  clarifyThreshold: number;
  policies: Policies;
  lexicon: Lexicon;
  qa?: QaBook;
}

const CATEGORY_SET = new Set<string>(CASE_CATEGORIES);
const isCategory = (i: Intent): i is CaseCategory => CATEGORY_SET.has(i);
const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** The choice a message picks among those offered: a click, "2", "第二个", or the label typed back. */
export function matchChoice(message: Pick<InboundMessage, 'kind' | 'choiceId' | 'text'>, normalized: string, offered: Choice[]): string | null {
  if (offered.length === 0) return null;
  if (message.kind === 'choice' && message.choiceId) return offered.some((c) => c.id === message.choiceId) ? message.choiceId : null;
  const b = bare(normalized);
  const num = /^(?:第|选)?([1-9一二两三四五六七八九])(?:个|项|号|条)?$/.exec(b);
  if (num?.[1]) {
    const n = CN_DIGITS[num[1]] ?? Number(num[1]);
    return offered[n - 1]?.id ?? null;
  }
  if (b.length < 2) return null;
  const exact = offered.find((c) => bare(c.label.toLowerCase()) === b);
  if (exact) return exact.id;
  const partial = offered.filter((c) => bare(c.label.toLowerCase()).includes(b));
  return partial.length === 1 ? (partial[0]?.id ?? null) : null;
}

function evidenceOf(message: InboundMessage): EvidenceRef[] {
  return message.attachments
    .filter((a) => a.evidenceId)
    .map((a) => ({ id: a.evidenceId as string, kind: a.kind, mime: a.mime ?? 'application/octet-stream', size: a.size ?? 0, sha256: a.sha256 ?? '' }));
}

function wrongNumberOf(a: Analysis, normalized: string): Turn['wrongNumber'] {
  if (a.entities.orderIds.length > 0) return null;
  if (a.entities.phones.length > 0) return 'phone';
  if (a.entities.trackingNumbers.length > 0) return 'tracking';
  return /\d{5,}/.test(normalized.replace(/[\s-]/g, '')) ? 'digits' : null;
}

function descriptionOf(text: string, orderIds: string[], lex: Lexicon): string | null {
  let t = text;
  for (const id of orderIds) t = t.split(id).join(' ');
  for (const w of [...lex.orderWords].sort((a, b) => b.length - a.length)) t = t.split(w).join(' ');
  t = t.replace(/\s+/g, ' ').replace(/^[\s\p{P}:：是为]+|[\s\p{P}]+$/gu, '').trim();
  return t.length > 0 ? t : null;
}

/** ISO weekday (1 = Monday) in China Standard Time (UTC+8, no daylight saving), where the shops sell. */
const shopWeekday = (now: number): number => ((new Date(now + 8 * 3600 * 1000).getUTCDay() + 6) % 7) + 1;

export function understand(message: InboundMessage, offered: Choice[], rowId: string, now: number, d: TurnDeps): Turn {
  const text = message.kind === 'text' || message.kind === 'choice' ? message.text : '';
  const a = d.analyze(text);
  const n = a.normalized;
  const lex = d.lexicon;
  const hit = findResolution(lex, n);
  const orderIds = [...new Set([...(message.orderId ? [message.orderId] : []), ...a.entities.orderIds])];

  // "订单…衣服开线了，要换货": order ids, resolution words and "不对" say nothing about the problem and pull the
  // classifier towards progress/no_fault_return; the category is read from what is left, if anything.
  const core = problemText(lex, n, { orderIds, words: [...(hit?.words ?? []), ...lex.correction] });
  // How much is said beyond fillers such as 我要/麻烦: "我要退款" names a resolution, not a problem.
  const coreLength = contentLength(problemText(lex, core, { orderIds: [], words: lex.fillers }));
  const yn = yesNo(lex, n);
  let intent = a.intent;
  let confidence = a.confidence;
  let category: CaseCategory | null = null;
  const strongOther = (intent === 'progress' || intent === 'policy' || intent === 'human') && confidence >= 0.9;
  if (core === n) {
    if (isCategory(intent) && confidence >= d.clarifyThreshold && coreLength >= 2 && yn === null) category = intent;
  } else if (coreLength >= 2 && !strongOther && !namesWantedVariant(lex, n, hit, coreLength)) {
    const c = d.analyze(core);
    if (isCategory(c.intent) && c.confidence >= d.clarifyThreshold) {
      intent = c.intent;
      confidence = c.confidence;
      category = c.intent;
    }
  }
  // "不是宣传的问题，是质量问题": the new value is what follows the negated one.
  const corrected = isCorrection(lex, n) ? correctedPart(n) : null;
  const named = corrected ? namedCategory(lex, corrected) : null;
  if (named) {
    category = named;
    intent = named;
    confidence = 1;
  } else if (corrected) {
    const c = d.analyze(corrected);
    if (isCategory(c.intent) && c.confidence >= d.clarifyThreshold) {
      intent = c.intent;
      confidence = c.confidence;
      category = c.intent;
    }
  }
  const problemCue = includesAny(bare(n), lex.problemCues);
  // A no-fault return makes the customer pay the return shipping: accept it only when the customer says
  // so (不喜欢, 尺码不合适…), never for a message that names a problem without saying which.
  if (category === 'no_fault_return' && problemCue && !includesAny(bare(n), lex.noFaultCues)) {
    category = null;
    confidence = Math.min(confidence, d.clarifyThreshold / 2);
  }
  const confident = confidence >= d.clarifyThreshold;
  const unsureProblem = !category && yn === null && coreLength >= 2 && ((isCategory(intent) && !confident) || (problemCue && !strongOther && !confident));
  // "退货运费谁出", "退款什么时候到账": a question about the rules or a case, not a resolution being asked for.
  const asksAbout = !category && (a.intent === 'policy' || a.intent === 'progress') && a.confidence >= d.clarifyThreshold && coreLength >= 2 && isQuestion(lex, n);
  const several = hit !== null && hit.wanted.length > 1 && !isCorrection(lex, n);
  const resolution = asksAbout ? null : several ? (hit.wanted[0] ?? null) : (hit?.resolution ?? null);
  const description = descriptionOf(text, orderIds, lex);
  const safetyAdvice = safetyAdviceOf(d.policies, n);
  const asked = d.qa && orderIds.length === 0 ? matchQa(d.qa, text) : [];

  return {
    rowId,
    now,
    kind: message.kind,
    enterSession: message.event?.type === 'enter_session',
    text,
    analysis: a,
    intent,
    confidence,
    confident,
    category,
    unsureProblem,
    description,
    orderIds,
    orderChecks: {},
    wrongNumber: wrongNumberOf(a, n),
    resolution,
    noResolution: includesAny(bare(n), lex.noResolution),
    evidence: evidenceOf(message),
    humanRequest: a.intent === 'human' && a.confidence >= d.clarifyThreshold,
    choiceId: matchChoice(message, n, offered),
    yesNo: yn,
    correction: isCorrection(lex, n),
    noEvidence: includesAny(bare(n), lex.noEvidence),
    safetyHazard: safetyAdvice.length > 0 || containsAny(n, d.policies.safetyHazardWords),
    safetyAdvice,
    question: isQuestion(lex, n),
    cancel: orderIds.length === 0 && !hit && ((!category && isCancel(lex, n)) || onlyCancel(lex, n)),
    signedDaysAgo: statedSignedDaysAgo(n, shopWeekday(now)),
    moreResolutions: resolution && several ? hit.wanted.slice(1) : [],
    changesMind: resolution !== null && ((hit?.declined ?? false) || includesAny(bare(n), lex.changeMind)),
    refundKindOpen: resolution === 'refund' && message.kind !== 'choice' && includesAny(bare(n), lex.refundOpen) && !includesAny(bare(n), lex.refundOnly),
    damageInTransit: containsAny(n, d.policies.damageInTransit.words),
    // The clauses a Q&A entry answers are not asked again of the policy topics (「地址写错了能改吗」 is no return address).
    policyTemplates: matchPolicyTopics(d.policies, asked.reduce((rest, q) => rest.split(normalize(q.clause)).join(' '), n)).map((t) => t.template),
    anotherCase: includesAny(bare(n), lex.anotherCase),
    qa: asked.map((q) => ({ id: q.entry.id, answer: q.entry.answer })),
    arrival: includesAny(bare(n), lex.notArrived) ? 'no' : includesAny(bare(n), lex.arrived) ? 'yes' : null,
    asksWhereOrderId: orderIds.length === 0 && includesAny(n, lex.orderWords) && includesAny(bare(n), lex.whereIsOrderId),
  };
}
