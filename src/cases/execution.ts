/**
 * The middle of a case's life, after review: the person who owns it approves (naming every resolution actually
 * granted, e.g. exchange + compensation) or rejects (with a reason the shopper reads), then records each execution
 * step — return address sent, the shopper's return tracking number, goods received, reshipment tracking, refund
 * issued, compensation paid. Every decision and step is one lifecycle move, one case event and one message to the
 * shopper (or a task when the platform window is closed). 「进度」 answers read the same record.
 */
import { badRequest, conflict } from '../core/errors.js';
import { OWNED, transition } from '../core/lifecycle.js';
import type { Case, Resolution } from '../core/types.js';
import type { Actor } from '../handoff/actions.js';
import { assertCanView, loadCase, supervises } from '../handoff/actions.js';
import { caseRef } from '../handoff/refs.js';
import type { Services } from '../services.js';
import { moveCase } from '../store/case-moves.js';
import { addEventOnce, setConversationMode } from '../store/versioned.js';
import type { TemplateBook } from '../../templates/render.js';
import { readDecision, STEP_KINDS, stepVars, type CaseDecision, type CaseStep, type StepKind } from './steps.js';
import { tellShopper } from './tell-shopper.js';

export const REASON_MAX_CHARS = 500;

const iso = (s: Pick<Services, 'clock'>): string => new Date(s.clock.now()).toISOString();
export const resolutionLabels = (book: TemplateBook, rs: readonly Resolution[]): string =>
  rs.map((r) => book[`label.resolution.${r}`]?.[0] ?? r).join(' + ');

/** The owner of the case, or a supervisor, may decide and record steps. */
function assertDecider(a: Actor, c: Case): void {
  assertCanView(a, c);
  if (!OWNED.includes(c.status)) throw conflict('not_assigned', `case is ${c.status}: claim it before you decide or record steps`);
  if (c.assignee !== a.id && !supervises(a)) throw conflict('not_your_case', 'this case belongs to another agent');
}

/** How a decision moves the case: a person's approve/reject, or the shop's own decision in 抖店. */
export type DecisionMove = { type: 'approve' } | { type: 'reject' } | { type: 'shop_decide'; verdict: CaseDecision['verdict'] };

/**
 * The decision's lifecycle move with its record (and `data`, more case fields the caller keeps with it). `moved` is
 * false when the case's status does not allow it any more.
 */
export async function moveDecision(
  s: Services,
  caseId: string,
  by: string,
  decision: Omit<CaseDecision, 'at' | 'by'>,
  move: DecisionMove,
  data: Record<string, unknown> = {},
): Promise<{ case: Case | null; moved: boolean }> {
  const record: CaseDecision = { ...decision, at: iso(s), by };
  return moveCase(s.store, caseId, move, (cur) => ({
    ...(decision.verdict === 'approved' ? { resolution: decision.resolutions[0] ?? cur.resolution } : {}),
    data: { ...cur.data, ...data, decision: record },
  }));
}

/**
 * After the move: one case event, the shopper told (approve: every resolution granted; reject: the reason), and the
 * bot answers the conversation again (progress questions, the return tracking number). With `eventKey` a re-run
 * adds no second event; the message is idempotent per case and verdict either way.
 */
export async function announceDecision(s: Services, c: Case, actor: string, decision: Omit<CaseDecision, 'at' | 'by'>, eventKey?: string): Promise<void> {
  const event = { caseId: c.id, type: decision.verdict, actor, data: { resolutions: decision.resolutions, reason: decision.reason } };
  if (eventKey) await addEventOnce(s.store, { ...event, key: eventKey });
  else await s.store.addCaseEvent(event);
  const vars = { caseRef: caseRef(c.id), resolutions: resolutionLabels(s.data.templates, decision.resolutions), reason: decision.reason ?? '' };
  await tellShopper(s, c, { template: `case.decision.${decision.verdict}`, vars, key: decision.verdict, actor });
  await setConversationMode(s.store, c.conversationId, 'bot');
}

async function decide(s: Services, a: Actor, caseId: string, decision: Omit<CaseDecision, 'at' | 'by'>): Promise<Case> {
  const c = await loadCase(s, caseId);
  const type = decision.verdict === 'approved' ? 'approve' : 'reject';
  transition(c, { type });
  assertDecider(a, c);
  const { case: updated, moved } = await moveDecision(s, c.id, a.id, decision, { type });
  if (!updated || !moved) throw conflict('already_decided', 'case changed meanwhile');
  await announceDecision(s, updated, a.id, decision);
  return updated;
}

export async function approveCase(s: Services, a: Actor, caseId: string, resolutions: Resolution[], note: string | null): Promise<Case> {
  const granted = [...new Set(resolutions)];
  if (granted.length === 0) throw badRequest('no_resolution', 'name at least one resolution granted');
  return decide(s, a, caseId, { verdict: 'approved', resolutions: granted, reason: note });
}

export async function rejectCase(s: Services, a: Actor, caseId: string, reason: string): Promise<Case> {
  const words = reason.trim();
  if (!words) throw badRequest('empty_reason', 'a rejection needs a reason the shopper can read');
  if (words.length > REASON_MAX_CHARS) throw badRequest('reason_too_long', `reason is longer than ${REASON_MAX_CHARS} characters`);
  return decide(s, a, caseId, { verdict: 'rejected', resolutions: [], reason: words });
}

export interface StepInput {
  kind: StepKind;
  trackingNo?: string;
  carrier?: string;
  address?: string;
  amountYuan?: number;
}

/** Which fields each step needs: a clear 400 naming the missing one. */
function checkStep(input: StepInput): void {
  if (!STEP_KINDS.includes(input.kind)) throw badRequest('unknown_step', `step must be one of ${STEP_KINDS.join(', ')}`);
  const need = (field: keyof StepInput, ok: boolean): void => {
    if (!ok) throw badRequest('step_field_missing', `step ${input.kind} needs ${field}`);
  };
  if (input.kind === 'return_tracking' || input.kind === 'reship_tracking') need('trackingNo', !!input.trackingNo?.trim());
  if (input.kind === 'return_address') need('address', !!input.address?.trim());
  if (input.kind === 'refund_issued' || input.kind === 'compensation_paid') need('amountYuan', typeof input.amountYuan === 'number' && input.amountYuan > 0);
}

/**
 * Records one execution step. Idempotent per `key` (a console retry, the bot reading the same message twice):
 * a step with the same key is not added again and the shopper is told once. Without `tell` the caller says it
 * itself (the bot, in the reply to the shopper's message).
 */
export async function recordStep(
  s: Services,
  actor: Pick<Actor, 'id'> & Partial<Actor>,
  caseId: string,
  input: StepInput,
  key: string,
  opts: { tell: boolean } = { tell: true },
): Promise<Case> {
  checkStep(input);
  const c = await loadCase(s, caseId);
  transition(c, { type: 'step' });
  if (actor.role) assertDecider(actor as Actor, c);
  if (c.steps.some((st) => st.key === key)) return c;
  const step: CaseStep = {
    kind: input.kind,
    key,
    at: iso(s),
    by: actor.id,
    ...(input.trackingNo ? { trackingNo: input.trackingNo.trim() } : {}),
    ...(input.carrier?.trim() ? { carrier: input.carrier.trim() } : {}),
    ...(input.address ? { address: input.address.trim() } : {}),
    ...(input.amountYuan !== undefined ? { amountYuan: Math.round(input.amountYuan * 100) / 100 } : {}),
  };
  const { case: updated, moved } = await moveCase(s.store, c.id, { type: 'step' }, (cur) =>
    cur.steps.some((st) => st.key === key) ? null : { steps: [...cur.steps, step] },
  );
  if (!updated) throw conflict('illegal_transition', 'case changed meanwhile');
  if (!moved) return updated;
  await s.store.addCaseEvent({ caseId: c.id, type: 'step', actor: actor.id, data: { kind: step.kind, key } });
  if (opts.tell) await tellShopper(s, updated, { template: `case.step.${step.kind}`, vars: { ...stepVars(step), caseRef: caseRef(c.id), arrivalWorkdays: s.data.policies.refund.arrivalWorkdays }, key: `step-${key}`, actor: actor.id });
  return updated;
}

/** The current step of a case (the last recorded), and the decision, for the 「进度」 answer and the console. */
export function executionOf(c: Case): { decision: CaseDecision | null; steps: CaseStep[]; current: CaseStep | null } {
  return { decision: readDecision(c), steps: c.steps, current: c.steps.at(-1) ?? null };
}
