/** Versioned updates of cases and conversations: re-read and re-apply when someone else moved the version on. */
import type { Case } from '../core/types.js';
import type { CaseEventType, CasePatch, Conversation, ConversationMode, ConversationPatch, Store } from './types.js';

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
  input: { caseId: string; type: CaseEventType; actor: string; key: string; data: Record<string, unknown> },
): Promise<void> {
  const events = await store.listCaseEvents(input.caseId);
  if (events.some((e) => e.type === input.type && e.data.key === input.key)) return;
  await store.addCaseEvent({ caseId: input.caseId, type: input.type, actor: input.actor, data: { ...input.data, key: input.key } });
}

/** `change` returns the patch for the current conversation, or null when there is nothing to do. */
export async function changeConversation(
  store: Store,
  conversationId: string,
  change: (current: Conversation) => ConversationPatch | null,
): Promise<Conversation | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.getConversation(conversationId);
    if (!current) return null;
    const patch = change(current);
    if (!patch) return current;
    const updated = await store.updateConversation(conversationId, current.version, patch);
    if (updated) return updated;
  }
  throw new Error(`conversation ${conversationId}: version conflict persisted after ${MAX_ATTEMPTS} attempts`);
}

/** Who answers the customer: the bot, or people (the bot then stays silent). */
export async function setConversationMode(store: Store, conversationId: string, mode: ConversationMode): Promise<void> {
  await changeConversation(store, conversationId, (c) => (c.mode === mode ? null : { mode }));
}
