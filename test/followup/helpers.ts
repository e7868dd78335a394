/** Shared set-up of the follow-up tests: a case a person handles, and its resolution. */
import { changeCase } from '../../src/store/versioned.js';
import type { Case, Priority } from '../../src/core/types.js';
import { onCaseResolved } from '../../src/followup/index.js';
import type { Services } from '../../src/services.js';
import type { Conversation } from '../../src/store/types.js';

/** A case a person is handling for this conversation's customer (as the console would have it). */
export async function openCase(s: Services, conv: Conversation, opts: { orderId?: string | null; priority?: Priority } = {}): Promise<Case> {
  const customer = await s.store.getCustomer(conv.customerId);
  return s.store.createCase({
    channel: conv.channel,
    customerId: customer?.platformUserId ?? conv.customerId,
    conversationId: conv.id,
    category: 'quality',
    orderId: opts.orderId === undefined ? '6912000000000000031' : opts.orderId,
    description: '保温杯漏水',
    status: 'assigned',
    priority: opts.priority ?? 2,
  });
}

/** What the console's resolve action does (status + resolvedAt), then the hook. */
export async function resolveCase(s: Services, caseId: string): Promise<Case> {
  const at = new Date(s.clock.now()).toISOString();
  const updated = await changeCase(s.store, caseId, (c) => ({ status: 'resolved', data: { ...c.data, resolvedAt: at } }));
  if (!updated) throw new Error(`case ${caseId} not found`);
  await onCaseResolved(s, updated);
  return updated;
}
