/**
 * Which id a case stores as `customerId`: the channel's user id (external_userid, open_id, web visitor id), as
 * the README's case API says, so integrations can filter `/api/cases?customerId=` by the id they know. Cases written
 * before that rule (internal customer ids) are rewritten by SQLite migration 2; reading still matches either.
 */
import type { Case, Channel } from '../core/types.js';
import type { Customer, Store } from '../store/types.js';

/** The platform user id a case stores; the conversation's customer row id only when the customer row is gone. */
export function caseCustomerId(customer: Pick<Customer, 'platformUserId'> | null, conversation: { customerId: string }): string {
  return customer?.platformUserId ?? conversation.customerId;
}

/** The customer's cases on one channel, newest first, whichever id they were stored under. */
export async function listCustomerCases(
  store: Store,
  input: { channel: Channel; conversation: { customerId: string }; customer: Pick<Customer, 'platformUserId'> | null; limit?: number },
): Promise<Case[]> {
  const customerRowId = input.conversation.customerId;
  const ids = [...new Set([caseCustomerId(input.customer, input.conversation), customerRowId])];
  const found = new Map<string, Case>();
  for (const storedId of ids) {
    for (const c of (await store.listCases({ customerId: storedId, channel: input.channel, limit: input.limit ?? 20 })).items) found.set(c.id, c);
  }
  return [...new Set(found.values())].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}
