/**
 * The typed record of a case's decision and execution steps. The steps are a field of the case (`Case.steps`,
 * typed in core/types.ts); the decision is read from `data` only through this shape. Pure data: the dialogue
 * reads it for 「进度」 answers, src/cases/execution.ts writes it.
 */
import type { Case, CaseStep, Resolution } from '../core/types.js';

export { STEP_KINDS, type CaseStep, type StepKind } from '../core/types.js';

export interface CaseDecision {
  verdict: 'approved' | 'rejected';
  /** Every resolution granted (exchange + compensation…); empty when rejected. */
  resolutions: Resolution[];
  /** Rejected: the reason the shopper reads. Approved: the person's optional note. */
  reason: string | null;
  at: string;
  by: string;
}

export function readDecision(c: Pick<Case, 'data'>): CaseDecision | null {
  const d = c.data.decision as Partial<CaseDecision> | undefined;
  if (!d || (d.verdict !== 'approved' && d.verdict !== 'rejected') || typeof d.at !== 'string') return null;
  return { verdict: d.verdict, resolutions: Array.isArray(d.resolutions) ? d.resolutions : [], reason: d.reason ?? null, at: d.at, by: d.by ?? '' };
}

/** Resolutions for which the shopper sends the goods back (to be refunded, exchanged or repaired). */
export const GOODS_BACK: readonly Resolution[] = ['return_refund', 'exchange', 'repair'];

/** Is the shopper expected to send the return tracking number (goods go back, address sent, number not yet recorded)? */
export function awaitingReturnTracking(c: Pick<Case, 'data' | 'status' | 'steps'>): boolean {
  if (c.status !== 'executing') return false;
  if (!readDecision(c)?.resolutions.some((r) => GOODS_BACK.includes(r))) return false;
  const kinds = c.steps.map((st) => st.kind);
  return kinds.includes('return_address') && !kinds.includes('return_tracking');
}

/** What a step's message and the 「进度」 answer fill in (the caller adds caseRef and arrivalWorkdays). */
export function stepVars(step: CaseStep): Record<string, string | number> {
  return { trackingNo: step.trackingNo ?? '', carrier: step.carrier ? `${step.carrier} ` : '', address: step.address ?? '', amount: step.amountYuan ?? 0 };
}
