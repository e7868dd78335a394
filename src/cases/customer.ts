/**
 * Which id a case stores as `customerId`. contracts.md names the channel's user id (external_userid, open_id,
 * web visitor id), but the SQLite store keeps `cases.customer_id` as a foreign key to `customers.id`, so the
 * internal customer id is what the store accepts today. Both sides go through these two functions: creating
 * uses `caseCustomerId`, reading matches either id, so switching to the platform id is a one-line change here.
 */
import type { Case, Channel } from '../core/types.js';
import type { Customer, Store } from '../store/types.js';

export function caseCustomerId(conversation: { customerId: string }): string {
  return conversation.customerId;
}

/** The customer's cases on one channel, newest first, whichever id they were stored under. */
export async function listCustomerCases(
  store: Store,
  input: { channel: Channel; conversation: { customerId: string }; customer: Pick<Customer, 'platformUserId'> | null; limit?: number },
): Promise<Case[]> {
  const ids = [...new Set([caseCustomerId(input.conversation), input.customer?.platformUserId].filter((x): x is string => !!x))];
  const found = new Map<string, Case>();
  for (const customerId of ids) {
    for (const c of (await store.listCases({ customerId, channel: input.channel, limit: input.limit ?? 20 })).items) found.set(c.id, c);
  }
  return [...found.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}
