/**
 * Whose parcel is it? An order reaches a shopper's conversation only through a case whose order 抖店 confirmed
 * (the same link the customer view trusts, src/analytics/customer-view.ts): a number a shopper merely typed proves
 * nothing, and a parcel without a confirmed link becomes a task for a person.
 */
import { confirmedOrder } from '../analytics/customer-view.js';
import type { Case } from '../core/types.js';
import type { Conversation, Store } from '../store/types.js';

export interface OrderOwner {
  /** The newest case that confirmed the order (its channel and customer id are the shopper's). */
  kase: Case;
  conversation: Conversation;
}

export async function orderOwner(store: Store, orderId: string): Promise<OrderOwner | null> {
  const cases = (await store.listCases({ orderId, limit: 200 })).items
    .filter((c) => confirmedOrder(c) === orderId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  for (const kase of cases) {
    const conversation = await store.getConversation(kase.conversationId);
    if (conversation) return { kase, conversation };
  }
  return null;
}
