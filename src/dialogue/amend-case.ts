/**
 * Carries out a shopper's correction of the case just filed (./amend.ts decides it): the fields change on the
 * same case and the history gets one `edited` line (each field from → to, by the customer), in the shape the
 * console's own edits use. A case someone has meanwhile taken is left as it is: the correction is put on its
 * history for that person instead. Keyed by the inbox row, so a re-run changes and records nothing twice.
 */
import type { Case } from '../core/types.js';
import type { CasePatch, Store } from '../store/types.js';
import { addEventOnce, changeCase } from '../store/versioned.js';
import { AMENDABLE_STATUSES } from './amend.js';
import type { Amendment } from './outcome.js';

export interface FieldChange {
  field: 'orderId' | 'resolution';
  from: string | null;
  to: string;
}

function changesOf(c: Case, change: Amendment): FieldChange[] {
  const out: FieldChange[] = [];
  if (change.orderId && change.orderId !== c.orderId) out.push({ field: 'orderId', from: c.orderId, to: change.orderId });
  if (change.resolution && change.resolution !== c.resolution) out.push({ field: 'resolution', from: c.resolution, to: change.resolution });
  return out;
}

/** Returns whether the case took the correction (false: someone works on it now, they were told instead). */
export async function amendCase(s: { store: Store }, input: { caseId: string; change: Amendment; key: string }): Promise<boolean> {
  let taken = false;
  let changes: FieldChange[] = [];
  await changeCase(s.store, input.caseId, (c) => {
    taken = !AMENDABLE_STATUSES.includes(c.status);
    changes = taken ? [] : changesOf(c, input.change);
    if (changes.length === 0) return null;
    const patch: CasePatch = {};
    for (const ch of changes) Object.assign(patch, { [ch.field]: ch.to });
    // What 抖店 said about the order belonged to the number given by mistake.
    if (input.change.orderId) patch.data = { ...c.data, order: null };
    return patch;
  });
  if (taken) {
    await addEventOnce(s.store, { caseId: input.caseId, type: 'customer_correction', actor: 'customer', key: input.key, data: { requested: input.change } });
    return false;
  }
  if (changes.length > 0) {
    await addEventOnce(s.store, { caseId: input.caseId, type: 'edited', actor: 'customer', key: input.key, data: { changes, reason: 'corrected by the shopper right after filing', by: 'customer' } });
  }
  return true;
}
