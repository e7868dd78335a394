/** Versioned case updates: re-read and re-apply when someone else moved the version on. */
import type { Case } from '../core/types.js';
import type { CasePatch, Store } from '../store/types.js';

const MAX_ATTEMPTS = 8;

/** `change` returns the patch for the current case, or null when there is nothing to do. */
export async function changeCase(store: Store, caseId: string, change: (current: Case) => CasePatch | null): Promise<Case | null> {
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

/** Adds a case event once per `key` (a re-run of the same message or job finds it and adds nothing). */
export async function addEventOnce(
  store: Store,
  input: { caseId: string; type: string; actor: string; key: string; data: Record<string, unknown> },
): Promise<void> {
  const events = await store.listCaseEvents(input.caseId);
  if (events.some((e) => e.type === input.type && e.data.key === input.key)) return;
  await store.addCaseEvent({ caseId: input.caseId, type: input.type, actor: input.actor, data: { ...input.data, key: input.key } });
}
