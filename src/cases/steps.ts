/**
 * The typed record of a case's decision and execution steps (kept in the case, read and written only through
 * these shapes). Pure data: the dialogue reads it for 「进度」 answers, src/cases/execution.ts writes it.
 */
import type { Case, Resolution } from '../core/types.js';

/** The execution steps people (and the bot, for the return tracking number) record, in a case's usual order. */
export type StepKind = 'return_address' | 'return_tracking' | 'goods_received' | 'reship_tracking' | 'refund_issued' | 'compensation_paid';
export const STEP_KINDS: readonly StepKind[] = ['return_address', 'return_tracking', 'goods_received', 'reship_tracking', 'refund_issued', 'compensation_paid'];

export interface CaseDecision {
  verdict: 'approved' | 'rejected';
  /** Every resolution granted (exchange + compensation…); empty when rejected. */
  resolutions: Resolution[];
  /** Rejected: the reason the shopper reads. Approved: the person's optional note. */
  reason: string | null;
  at: string;
  by: string;
}

export interface CaseStep {
  kind: StepKind;
  /** Idempotency key: the console's client id, or the inbox row the bot read a tracking number from. */
  key: string;
  at: string;
  /** Console user id, `bot`, or `doudian`. */
  by: string;
  trackingNo?: string;
  carrier?: string;
  address?: string;
  amountYuan?: number;
}

const isStep = (v: unknown): v is CaseStep =>
  typeof v === 'object' && v !== null && STEP_KINDS.includes((v as CaseStep).kind) && typeof (v as CaseStep).key === 'string' && typeof (v as CaseStep).at === 'string';

export function readSteps(c: Pick<Case, 'data'>): CaseStep[] {
  return Array.isArray(c.data.steps) ? c.data.steps.filter(isStep) : [];
}

export function readDecision(c: Pick<Case, 'data'>): CaseDecision | null {
  const d = c.data.decision as Partial<CaseDecision> | undefined;
  if (!d || (d.verdict !== 'approved' && d.verdict !== 'rejected') || typeof d.at !== 'string') return null;
  return { verdict: d.verdict, resolutions: Array.isArray(d.resolutions) ? d.resolutions : [], reason: d.reason ?? null, at: d.at, by: d.by ?? '' };
}

/** Resolutions for which the shopper sends the goods back (to be refunded, exchanged or repaired). */
export const GOODS_BACK: readonly Resolution[] = ['return_refund', 'exchange', 'repair'];

/** Is the shopper expected to send the return tracking number (goods go back, address sent, number not yet recorded)? */
export function awaitingReturnTracking(c: Pick<Case, 'data' | 'status'>): boolean {
  if (c.status !== 'executing') return false;
  if (!readDecision(c)?.resolutions.some((r) => GOODS_BACK.includes(r))) return false;
  const kinds = readSteps(c).map((st) => st.kind);
  return kinds.includes('return_address') && !kinds.includes('return_tracking');
}

/** What a step's message and the 「进度」 answer fill in (the caller adds caseRef and arrivalWorkdays). */
export function stepVars(step: CaseStep): Record<string, string | number> {
  return { trackingNo: step.trackingNo ?? '', carrier: step.carrier ? `${step.carrier} ` : '', address: step.address ?? '', amount: step.amountYuan ?? 0 };
}
