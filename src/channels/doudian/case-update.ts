/** Versioned case updates with retry: re-read and re-apply when someone else moved the version on. */
import type { Case } from '../../core/types.js';
import type { CasePatch, Store } from '../../store/types.js';

const MAX_ATTEMPTS = 8;

/**
 * `change` returns the patch for the current case, or null when there is nothing to do (already applied).
 * Returns the case as stored afterwards, or null when the case no longer exists.
 */
export async function updateCaseWithRetry(
  store: Store,
  caseId: string,
  change: (current: Case) => CasePatch | null,
): Promise<Case | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.getCase(caseId);
    if (!current) return null;
    const patch = change(current);
    if (!patch) return current;
    const updated = await store.updateCase(caseId, current.version, patch);
    if (updated) return updated;
  }
  throw new Error(`case ${caseId}: version conflict persisted after ${MAX_ATTEMPTS} attempts`);
}
