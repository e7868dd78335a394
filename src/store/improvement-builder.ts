/** A new improvement item (改进单) with the defaults both adapters must agree on. */
import { randomUUID } from 'node:crypto';
import { nowIso } from './builders.js';
import type { ImprovementItem, ImprovementPatch, NewImprovement } from './types.js';

export const IMPROVEMENT_LIST_DEFAULT = 50;
export const IMPROVEMENT_LIST_MAX = 200;

export const IMPROVEMENT_PATCH_KEYS = [
  'ownerId', 'action', 'dueDate', 'status', 'doneAt', 'doneBy', 'closedAt', 'closedBy', 'reopenCount',
] as const satisfies readonly (keyof ImprovementPatch)[];

export function buildImprovement(input: NewImprovement): ImprovementItem {
  const now = nowIso();
  return {
    id: randomUUID(),
    dimension: input.dimension,
    key: input.key,
    cause: input.cause,
    ownerId: input.ownerId,
    action: input.action,
    dueDate: input.dueDate,
    source: input.source,
    sourceCaseId: input.sourceCaseId ?? null,
    status: 'open',
    createdBy: input.createdBy,
    doneAt: null,
    doneBy: null,
    closedAt: null,
    closedBy: null,
    reopenCount: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}
