/** A case as the bot files it when the shopper completes an intake (status open, filedAt), then the review queue. */
import { randomBytes } from 'node:crypto';
import type { Case } from '../../src/core/types.js';
import { enterReview } from '../../src/handoff/queue-entry.js';
import type { Harness } from '../helpers/harness.js';

export async function fileCase(h: Harness): Promise<Case> {
  const { store, clock } = h.services;
  const visitor = `vr${randomBytes(6).toString('hex')}`;
  const customer = await store.upsertCustomer({ channel: 'web', platformUserId: visitor });
  const conv = await store.getOrCreateConversation({ channel: 'web', key: visitor, customerId: customer.id });
  await store.updateConversation(conv.id, conv.version, { lastCustomerAt: clock.now() });
  const kase = await store.createCase({
    channel: 'web',
    customerId: visitor,
    conversationId: conv.id,
    category: 'quality',
    description: '衣服开线了',
    status: 'open',
    priority: 2,
    data: { filedAt: new Date(clock.now()).toISOString() },
  });
  return (await enterReview(h.services, kase)).case;
}
