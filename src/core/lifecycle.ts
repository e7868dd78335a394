/**
 * The one owner of a case's life: which status follows which, and who owns the case after. Pure: it reads the
 * current case and the action, and returns the status/assignee patch, or refuses with a coded 409. Every status
 * change in the app (dialogue, people's actions, the assigner, SLA breaches, follow-up answers, 抖店 pushes) is
 * built here; nothing else writes `status`.
 *
 *   collecting ─file→ open (待审核) ─assign→ assigned (审核中) ─approve→ approved ─step→ executing ─resolve→ resolved ─close→ closed
 *        └─escalate→ escalated (等人工) ─assign→ assigned          └─reject→ rejected ──────────resolve→ resolved
 *   resolved / closed ─reopen→ escalated, with no assignee (back in the queue for whoever is free)
 *   open / escalated / assigned ─shop_decide→ approved | rejected   (the shop decided in 抖店, the case keeps its owner)
 *   open / escalated / assigned ─withdraw→ closed                  (抖店 closed the after-sale before anyone decided)
 */
import { conflict, type AppError } from './errors.js';
import { CASE_STATUSES, type Case, type CaseStatus } from './types.js';

export type CaseAction =
  /** The bot filed a complete intake: it waits in the review queue (待审核). */
  | { type: 'file' }
  /** Someone asked for a person. A case a person owns stays theirs. */
  | { type: 'escalate' }
  /** A person takes the case (claim, the assigner, a supervisor's reassignment). */
  | { type: 'assign'; to: string }
  /** Back to the queue with nobody on it (SLA breach, supervisor). */
  | { type: 'unassign' }
  /** The bot answers the conversation again; the case waits in the review queue for a decision. */
  | { type: 'hand_back' }
  | { type: 'approve' }
  | { type: 'reject' }
  /**
   * The shop decided in its platform backend (抖店 同意/拒绝) while the case waited for review. Only a case in
   * review: a decision a person made in the console is never overridden.
   */
  | { type: 'shop_decide'; verdict: 'approved' | 'rejected' }
  /** An execution step was recorded (return address sent, tracking number, goods received, refund issued…). */
  | { type: 'step' }
  | { type: 'resolve' }
  | { type: 'close' }
  /** The platform closed the after-sale while the case was in review: the shopper withdrew it, or it timed out. */
  | { type: 'withdraw' }
  /** The shopper is not satisfied after the resolution: back to the people's queue. */
  | { type: 'reopen' };

export type CaseActionType = CaseAction['type'];
export type LifePatch = { status: CaseStatus; assignee?: string | null };

/** Waiting for a person, nobody on it: the queue agents and supervisors see. */
export const QUEUED: readonly CaseStatus[] = ['open', 'escalated'];
/** A person owns the case. */
export const OWNED: readonly CaseStatus[] = ['assigned', 'approved', 'rejected', 'executing'];
/** Not finished: the dialogue answers 「进度」 for these and escalations attach to them. */
export const ACTIVE: readonly CaseStatus[] = ['collecting', ...QUEUED, ...OWNED];
export const DONE: readonly CaseStatus[] = ['resolved', 'closed'];
/** Every status, in the order of a case's life (the case API's `status` enum). */
export const STATUSES: readonly CaseStatus[] = CASE_STATUSES;

/** From which statuses each action may start. */
const FROM: Record<CaseActionType, readonly CaseStatus[]> = {
  file: ['collecting'],
  escalate: ['collecting', ...QUEUED, ...OWNED],
  assign: [...QUEUED, ...OWNED],
  unassign: ['assigned'],
  hand_back: ['escalated', 'assigned'],
  approve: ['assigned'],
  reject: ['assigned'],
  shop_decide: [...QUEUED, 'assigned'],
  step: ['approved', 'executing'],
  resolve: ['open', 'escalated', ...OWNED],
  close: ['resolved'],
  withdraw: [...QUEUED, 'assigned'],
  reopen: DONE,
};

/** The code a refused action answers with, e.g. resolving a closed case → `already_resolved`. */
function refusalCode(c: Pick<Case, 'status'>, type: CaseActionType): string {
  if (type === 'resolve' && DONE.includes(c.status)) return 'already_resolved';
  if ((type === 'approve' || type === 'reject' || type === 'shop_decide') && ['approved', 'rejected', 'executing'].includes(c.status)) return 'already_decided';
  if ((type === 'approve' || type === 'reject' || type === 'step') && QUEUED.includes(c.status)) return 'not_assigned';
  return 'illegal_transition';
}

function next(c: Pick<Case, 'status' | 'assignee'>, a: CaseAction): LifePatch {
  switch (a.type) {
    case 'file':
      return { status: 'open', assignee: null };
    case 'escalate':
      return OWNED.includes(c.status) || c.status === 'escalated' ? { status: c.status } : { status: 'escalated', assignee: null };
    case 'assign':
      // A decided case moves to another person as it is; a waiting one is now being reviewed.
      return { status: OWNED.includes(c.status) ? c.status : 'assigned', assignee: a.to };
    case 'unassign':
      return { status: 'escalated', assignee: null };
    case 'hand_back':
      return { status: 'open', assignee: null };
    case 'approve':
      return { status: 'approved' };
    case 'reject':
      return { status: 'rejected' };
    case 'shop_decide':
      return { status: a.verdict };
    case 'step':
      return { status: 'executing' };
    case 'resolve':
      return { status: 'resolved' };
    case 'close':
    case 'withdraw':
      return { status: 'closed' };
    case 'reopen':
      return { status: 'escalated', assignee: null };
  }
}

/** May this action start from the case's status? */
export const allows = (c: Pick<Case, 'status'>, type: CaseActionType): boolean => FROM[type].includes(c.status);

/** The coded 409 for an action the case's status forbids. */
export function refusal(c: Pick<Case, 'id' | 'status'>, type: CaseActionType): AppError {
  return conflict(refusalCode(c, type), `case ${c.id} is ${c.status}: "${type}" is not allowed`);
}

/** The status (and owner) after `action`, or a coded 409 when the case's status forbids it. */
export function transition(c: Pick<Case, 'id' | 'status' | 'assignee'>, action: CaseAction): LifePatch {
  if (!allows(c, action.type)) throw refusal(c, action.type);
  return next(c, action);
}

/** The same, for compare-and-set updates where "not any more" means "nothing to do": null instead of a refusal. */
export function tryTransition(c: Pick<Case, 'status' | 'assignee'>, action: CaseAction): LifePatch | null {
  return allows(c, action.type) ? next(c, action) : null;
}

/** The status a new case is created with: filed by the bot, or straight to people. */
export const initialStatus = (how: 'filed' | 'escalated'): CaseStatus => (how === 'filed' ? 'open' : 'escalated');
