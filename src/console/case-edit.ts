/**
 * Correcting a case by hand: category, priority and the agreed resolution, always with a reason. The change and
 * the reason go into the case history (event `edited`, each field from → to), so a report or a reviewer can see
 * who changed what and why. Agents correct their own cases; supervisors and admins any case. A case the bot is
 * still collecting, or a closed one, is not edited; a request that changes nothing is refused and writes nothing.
 */
import { z } from 'zod';
import { CASE_CATEGORIES, RESOLUTIONS, type Case, type CaseCategory, type Resolution } from '../core/types.js';
import { badRequest, conflict, forbidden } from '../core/errors.js';
import { assertCanView, loadCase, supervises, type Actor } from '../handoff/actions.js';
import { scheduleSla } from '../handoff/sla.js';
import type { Services } from '../services.js';
import { changeCase } from '../store/versioned.js';
import type { CasePatch } from '../store/types.js';

export const EDIT_REASON_MAX = 500;
const FIELDS = ['category', 'priority', 'resolution'] as const;
type Field = (typeof FIELDS)[number];

export const caseEditSchema = z
  .object({
    category: z.enum(CASE_CATEGORIES as [CaseCategory, ...CaseCategory[]]).optional(),
    priority: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    resolution: z.enum(RESOLUTIONS as [Resolution, ...Resolution[]]).nullable().optional(),
    reason: z.string().trim().min(2, 'reason: say why (at least 2 characters)').max(EDIT_REASON_MAX),
  })
  .strict();

export type CaseEdit = z.infer<typeof caseEditSchema>;

export interface FieldChange {
  field: Field;
  from: Case[Field];
  to: Case[Field];
}

/** For the console's buttons: the same rule editCase applies. */
export function mayEdit(a: Actor, c: Case): boolean {
  try {
    assertMayEdit(a, c);
    return a.role !== 'manager';
  } catch {
    return false;
  }
}

function assertMayEdit(a: Actor, c: Case): void {
  assertCanView(a, c);
  if (c.status === 'collecting' || c.status === 'closed') throw conflict('not_editable', `a ${c.status} case cannot be edited`);
  if (!supervises(a) && a.id !== 'api' && c.assignee !== a.id) throw forbidden('not_your_case', 'only the case owner or a supervisor can edit it');
}

function changesOf(c: Case, edit: CaseEdit): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of FIELDS) {
    const to = edit[field];
    if (to !== undefined && to !== c[field]) out.push({ field, from: c[field], to });
  }
  return out;
}

export async function editCase(s: Services, a: Actor, caseId: string, edit: CaseEdit): Promise<{ case: Case; changes: FieldChange[] }> {
  const c = await loadCase(s, caseId);
  assertMayEdit(a, c);
  if (changesOf(c, edit).length === 0) throw badRequest('nothing_changed', 'the case already has these values');
  let changes: FieldChange[] = [];
  const updated = await changeCase(s.store, c.id, (cur) => {
    changes = changesOf(cur, edit);
    if (changes.length === 0) return null;
    const patch: CasePatch = {};
    for (const ch of changes) Object.assign(patch, { [ch.field]: ch.to });
    return patch;
  });
  if (!updated || changes.length === 0) throw conflict('case_changed', 'the case changed meanwhile; reload and try again');
  await s.store.addCaseEvent({ caseId: c.id, type: 'edited', actor: a.id, data: { changes, reason: edit.reason, by: a.name } });
  s.log.info({ component: 'console', caseId: c.id, by: a.id, fields: changes.map((ch) => ch.field) }, 'case edited');
  const result = changes.some((ch) => ch.field === 'priority') ? await scheduleSla(s, updated) : updated;
  return { case: result, changes };
}
