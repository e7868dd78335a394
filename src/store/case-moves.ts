/**
 * Applying the lifecycle (src/core/lifecycle.ts) to the stored case: one compare-and-set that moves the status
 * (and owner) the lifecycle decides, together with the caller's other fields. The one place a case's status is
 * written after creation; a lower layer, so channels (抖店 pushes) use it as well as features.
 */
import { tryTransition, type CaseAction } from '../core/lifecycle.js';
import type { Case } from '../core/types.js';
import type { CasePatch, Store } from './types.js';
import { changeCase } from './versioned.js';

/** Fields a move may set besides status and owner. */
export type MoveExtra = Omit<CasePatch, 'status' | 'assignee'>;

export interface Moved {
  /** The case after the attempt (unchanged when the move was not allowed any more); null if it does not exist. */
  case: Case | null;
  /** Did this call move it? False when the case's status no longer allows the action (someone else moved it). */
  moved: boolean;
}

/**
 * Moves the case by `action` if its current status allows it. `extra` sees the current case and returns the other
 * fields to write with the move, or null to leave the case as it is.
 */
export async function moveCase(store: Store, caseId: string, action: CaseAction, extra?: (current: Case) => MoveExtra | null): Promise<Moved> {
  let moved = false;
  const updated = await changeCase(store, caseId, (cur) => {
    moved = false; // a retried update starts over
    const life = tryTransition(cur, action);
    if (!life) return null;
    const more = extra ? extra(cur) : {};
    if (more === null) return null;
    moved = true;
    return { ...more, ...life };
  });
  return { case: updated, moved };
}

/** Who or what resolved a case: a console user or integration, or 抖店 (退款成功). */
export interface ResolvedBy {
  actor: string;
  source: 'console' | 'doudian';
  note: string | null;
  /** More facts for the `resolved` event (e.g. the 抖店 msg_id). */
  detail?: Record<string, unknown>;
}

/**
 * The one "resolve": status `resolved`, the resolution stamp, and one `resolved` case event. `resolvedNow` is
 * false when the case was not resolvable any more (already resolved or closed, or someone else got there first).
 */
export async function resolveStored(
  s: { store: Store; clock: { now(): number } },
  caseId: string,
  by: ResolvedBy,
  extra?: (current: Case) => MoveExtra,
): Promise<{ case: Case | null; resolvedNow: boolean }> {
  const at = new Date(s.clock.now()).toISOString();
  const { case: updated, moved } = await moveCase(s.store, caseId, { type: 'resolve' }, (cur) => {
    const more = extra ? extra(cur) : {};
    return { ...more, data: { ...cur.data, ...more.data, resolvedAt: at, resolvedBy: by.source === 'doudian' ? 'doudian' : by.actor, resolveNote: by.note, awaitingReplySince: null } };
  });
  if (moved && updated) {
    await s.store.addCaseEvent({ caseId, type: 'resolved', actor: by.source === 'doudian' ? 'system' : by.actor, data: { note: by.note, by: by.source, ...by.detail } });
  }
  return { case: updated, resolvedNow: moved };
}
