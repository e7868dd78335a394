/**
 * What a group message is, read with the process's one classifier (Services.classifier, the same the dialogue
 * uses): an after-sales report or group chatter.
 */
import { CASE_CATEGORIES, type CaseCategory } from '../core/types.js';
import { CLARIFY_THRESHOLD, type Analysis } from '../nlu/index.js';

export interface Verdict {
  complaint: boolean;
  risk: boolean;
  category: CaseCategory | null;
  analysis: Analysis;
}

const isCategory = (v: string): v is CaseCategory => (CASE_CATEGORIES as readonly string[]).includes(v);
/** Asking for progress or a person in a shop group is an after-sales matter too. */
const FOLLOW_UP = new Set(['progress', 'human']);

/**
 * After-sales report = risk words, or a case category / progress / person request the classifier is sure
 * about. Group chatter (greetings, thanks, off-topic, unsure labels) is not: a group must not turn into cases.
 */
export function judge(analysis: Analysis): Verdict {
  const sure = analysis.confidence >= CLARIFY_THRESHOLD;
  const category = isCategory(analysis.intent) ? analysis.intent : null;
  const complaint = analysis.risk || (sure && (category !== null || FOLLOW_UP.has(analysis.intent)));
  return { complaint, risk: analysis.risk, category: sure ? category : null, analysis };
}
