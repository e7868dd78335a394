/** The improvement_items table (migration 9): 改进单, written compare-and-set on `version`. */
import { nowIso, pickDefined, present } from '../builders.js';
import { buildImprovement, IMPROVEMENT_LIST_DEFAULT, IMPROVEMENT_LIST_MAX, IMPROVEMENT_PATCH_KEYS } from '../improvement-builder.js';
import { clampLimit } from '../paging.js';
import type {
  ImprovementCause, ImprovementDimension, ImprovementFilter, ImprovementItem, ImprovementPatch, ImprovementSource, ImprovementStatus, NewImprovement,
} from '../types.js';
import type { Columns } from './columns.js';
import { whereEqual, type Sql } from './sql.js';

interface ImprovementRow {
  id: string;
  dimension: string;
  key: string;
  cause: string;
  owner_id: string;
  action: string;
  due_date: string;
  source: string;
  source_case_id: string | null;
  status: string;
  created_by: string;
  done_at: string | null;
  done_by: string | null;
  closed_at: string | null;
  closed_by: string | null;
  reopen_count: number;
  version: number;
  created_at: string;
  updated_at: string;
}

const toItem = (r: ImprovementRow): ImprovementItem => ({
  id: r.id,
  dimension: r.dimension as ImprovementDimension,
  key: r.key,
  cause: r.cause as ImprovementCause,
  ownerId: r.owner_id,
  action: r.action,
  dueDate: r.due_date,
  source: r.source as ImprovementSource,
  sourceCaseId: r.source_case_id,
  status: r.status as ImprovementStatus,
  createdBy: r.created_by,
  doneAt: r.done_at,
  doneBy: r.done_by,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  reopenCount: r.reopen_count,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const COLUMN: Record<(typeof IMPROVEMENT_PATCH_KEYS)[number], string> = {
  ownerId: 'owner_id', action: 'action', dueDate: 'due_date', status: 'status', doneAt: 'done_at', doneBy: 'done_by',
  closedAt: 'closed_at', closedBy: 'closed_by', reopenCount: 'reopen_count',
};

export function createImprovement(q: Sql, input: NewImprovement): ImprovementItem {
  const i = buildImprovement(input);
  q.insert('improvement_items', {
    id: i.id, dimension: i.dimension, key: i.key, cause: i.cause, owner_id: i.ownerId, action: i.action, due_date: i.dueDate,
    source: i.source, source_case_id: i.sourceCaseId, status: i.status, created_by: i.createdBy, done_at: null, done_by: null,
    closed_at: null, closed_by: null, reopen_count: 0, version: i.version, created_at: i.createdAt, updated_at: i.updatedAt,
  });
  return present(getImprovement(q, i.id), 'improvement item');
}

export function getImprovement(q: Sql, id: string): ImprovementItem | null {
  return q.get(toItem, 'SELECT * FROM improvement_items WHERE id = ?', id);
}

export function listImprovements(q: Sql, f: ImprovementFilter): ImprovementItem[] {
  const w = whereEqual([['owner_id', f.ownerId], ['status', f.status], ['dimension', f.dimension], ['key', f.key]]);
  const sql = `SELECT * FROM improvement_items${w.sql} ORDER BY created_at DESC, id DESC LIMIT ?`;
  return q.list(toItem, sql, ...w.params, clampLimit(f.limit, IMPROVEMENT_LIST_DEFAULT, IMPROVEMENT_LIST_MAX));
}

export function updateImprovement(q: Sql, id: string, expectedVersion: number, patch: ImprovementPatch): ImprovementItem | null {
  const cols: Columns = { updated_at: nowIso() };
  for (const [k, v] of Object.entries(pickDefined(patch, IMPROVEMENT_PATCH_KEYS))) cols[COLUMN[k as keyof typeof COLUMN]] = v;
  return q.update(toItem, 'improvement_items', ['id', id], cols, expectedVersion);
}
