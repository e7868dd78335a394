/**
 * 改进单 (issue #19 item 1): a manager opens an item from a spike, a dashboard row or a case, naming the cause,
 * an owner (a console user), the action promised and a due date; the owner marks it done; a manager closes it
 * or reopens it. Managers (manager, supervisor, admin) see every item; anyone else sees the items they own.
 * Every change is compare-and-set on the item's version, so two clicks never apply twice.
 */
import { z } from 'zod';
import { badRequest, conflict, forbidden, notFound } from '../core/errors.js';
import { CASE_CATEGORIES, type Case } from '../core/types.js';
import type { Actor } from '../handoff/actions.js';
import type { Services } from '../services.js';
import {
  IMPROVEMENT_CAUSES, type ImprovementDimension, type ImprovementItem, type ImprovementPatch, type ImprovementStatus,
} from '../store/types.js';
import { dayStart, localDay } from '../analytics/period.js';
import { scheduleOverdue } from './overdue.js';

export const IMPROVEMENT_DIMENSIONS: readonly ImprovementDimension[] = ['category', 'product', 'carrier'];
const MANAGING = new Set(['manager', 'supervisor', 'admin']);
export const manages = (a: Pick<Actor, 'role'>): boolean => MANAGING.has(a.role);

type Deps = Pick<Services, 'store' | 'clock' | 'queues' | 'config'>;

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const dueDate = z
  .string()
  .regex(DAY_RE, 'must be a day like 2026-03-25')
  .refine((d) => localDay(dayStart(d)) === d, 'is not a calendar day');

export const newItemSchema = z
  .object({
    source: z.enum(['spike', 'dashboard', 'case']),
    dimension: z.enum(IMPROVEMENT_DIMENSIONS as [ImprovementDimension, ...ImprovementDimension[]]),
    /** The category code, product name or carrier; read from the case when the source is a case. */
    key: z.string().trim().min(1).max(100).optional(),
    caseId: z.string().regex(/^[\w-]{1,128}$/).optional(),
    cause: z.enum(IMPROVEMENT_CAUSES),
    ownerId: z.string().min(1).max(128),
    action: z.string().trim().min(2).max(500),
    dueDate,
  })
  .strict();

export const reopenSchema = z.object({ dueDate: dueDate.optional() }).strict();

/** The key a case has for a dimension, or null when the case does not say. */
export function keyOfCase(c: Case, dimension: ImprovementDimension): string | null {
  if (dimension === 'category') return c.category;
  const data = c.data as { order?: { productName?: unknown }; carrier?: unknown };
  const v = dimension === 'product' ? data.order?.productName : data.carrier;
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

async function keyFor(s: Deps, input: z.infer<typeof newItemSchema>): Promise<{ key: string; caseId: string | null }> {
  if (input.source === 'case') {
    if (!input.caseId) throw badRequest('case_required', 'caseId: an item opened from a case names the case');
    const c = await s.store.getCase(input.caseId);
    if (!c) throw notFound('case_not_found', `case ${input.caseId} not found`);
    const key = keyOfCase(c, input.dimension);
    if (key === null) throw badRequest('case_has_no_key', `dimension: case ${input.caseId} has no ${input.dimension}`);
    if (input.key !== undefined && input.key !== key) throw badRequest('key_mismatch', `key: case ${input.caseId} has ${input.dimension} "${key}"`);
    return { key, caseId: c.id };
  }
  if (input.key === undefined) throw badRequest('key_required', 'key: name the category, product or carrier');
  if (input.dimension === 'category' && !(CASE_CATEGORIES as readonly string[]).includes(input.key)) {
    throw badRequest('bad_category', `key: category must be one of ${CASE_CATEGORIES.join(', ')}`);
  }
  return { key: input.key, caseId: null };
}

export async function openItem(s: Deps, actor: Actor, input: z.infer<typeof newItemSchema>): Promise<ImprovementItem> {
  if (!manages(actor)) throw forbidden('manager_required', 'only a manager, supervisor or admin opens improvement items');
  const owner = await s.store.getUser(input.ownerId);
  if (!owner) throw badRequest('unknown_owner', `ownerId: no console user ${input.ownerId}`);
  if (input.dueDate < localDay(s.clock.now())) throw badRequest('due_in_past', 'dueDate: the due date is already over');
  const { key, caseId } = await keyFor(s, input);
  const item = await s.store.createImprovement({
    dimension: input.dimension,
    key,
    cause: input.cause,
    ownerId: owner.id,
    action: input.action,
    dueDate: input.dueDate,
    source: input.source,
    sourceCaseId: caseId,
    createdBy: actor.id,
  });
  await scheduleOverdue(s, item);
  return item;
}

export async function loadItem(s: Pick<Services, 'store'>, actor: Actor, id: string): Promise<ImprovementItem> {
  const item = await s.store.getImprovement(id);
  if (!item) throw notFound('improvement_not_found', `improvement item ${id} not found`);
  if (!manages(actor) && item.ownerId !== actor.id) throw forbidden('not_your_item', 'this improvement item belongs to someone else');
  return item;
}

/** Items the person may see: all (managers, optionally only their own) or their own. Newest first. */
export async function listItemsFor(
  s: Pick<Services, 'store'>,
  actor: Actor,
  filter: { mine?: boolean; status?: ImprovementStatus; limit?: number },
): Promise<ImprovementItem[]> {
  const own = filter.mine === true || !manages(actor);
  return s.store.listImprovements({
    ...(own ? { ownerId: actor.id } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    limit: filter.limit ?? 200,
  });
}

async function change(s: Deps, item: ImprovementItem, from: readonly ImprovementStatus[], patch: ImprovementPatch, what: string): Promise<ImprovementItem> {
  if (!from.includes(item.status)) throw conflict('improvement_state', `cannot ${what} an item that is ${item.status}`);
  const updated = await s.store.updateImprovement(item.id, item.version, patch);
  if (!updated) throw conflict('improvement_changed', 'someone else changed this item first; reload and try again');
  return updated;
}

/** The owner (or a manager) says the promised action is done: the effect is measured from this day. */
export async function markDone(s: Deps, actor: Actor, id: string): Promise<ImprovementItem> {
  const item = await loadItem(s, actor, id);
  return change(s, item, ['open'], { status: 'done', doneAt: new Date(s.clock.now()).toISOString(), doneBy: actor.id }, 'mark done');
}

export async function closeItem(s: Deps, actor: Actor, id: string): Promise<ImprovementItem> {
  if (!manages(actor)) throw forbidden('manager_required', 'only a manager, supervisor or admin closes improvement items');
  const item = await loadItem(s, actor, id);
  const now = new Date(s.clock.now()).toISOString();
  return change(s, item, ['open', 'done'], { status: 'closed', closedAt: now, closedBy: actor.id }, 'close');
}

/** Back to open (the fix did not hold): optionally with a new due date, which gets its own overdue alarm. */
export async function reopenItem(s: Deps, actor: Actor, id: string, input: z.infer<typeof reopenSchema>): Promise<ImprovementItem> {
  if (!manages(actor)) throw forbidden('manager_required', 'only a manager, supervisor or admin reopens improvement items');
  const item = await loadItem(s, actor, id);
  if (input.dueDate !== undefined && input.dueDate < localDay(s.clock.now())) throw badRequest('due_in_past', 'dueDate: the due date is already over');
  const updated = await change(
    s,
    item,
    ['done', 'closed'],
    { status: 'open', doneAt: null, doneBy: null, closedAt: null, closedBy: null, reopenCount: item.reopenCount + 1, ...(input.dueDate ? { dueDate: input.dueDate } : {}) },
    'reopen',
  );
  await scheduleOverdue(s, updated);
  return updated;
}
