/** Shared set-up for handoff tests: agents and escalated cases on a running app. */
import { randomUUID } from 'node:crypto';
import type { Case, CaseCategory, Channel, Priority } from '../../src/core/types.js';
import { escalate } from '../../src/cases/escalate.js';
import type { Services } from '../../src/services.js';
import type { ConsoleUser } from '../../src/store/types.js';

export async function agent(s: Services, name: string, over: Partial<Pick<ConsoleUser, 'skills' | 'capacity' | 'online' | 'role'>> = {}): Promise<ConsoleUser> {
  const u = await s.store.createUser({ username: `${name}-${randomUUID().slice(0, 6)}`, displayName: name, role: over.role ?? 'agent', passwordHash: 'x' });
  return (await s.store.updateUser(u.id, { skills: over.skills ?? [], capacity: over.capacity ?? 5, online: over.online ?? true })) as ConsoleUser;
}

/** A customer conversation with a case, escalated through the one entry point. */
export async function escalatedCase(
  s: Services,
  opts: { channel?: Channel; category?: CaseCategory | null; priority?: Priority; reason?: string } = {},
): Promise<Case> {
  const channel = opts.channel ?? 'web';
  const customer = await s.store.upsertCustomer({ channel, platformUserId: `u-${randomUUID().slice(0, 8)}` });
  const conv = await s.store.getOrCreateConversation({ channel, key: `k-${randomUUID().slice(0, 8)}`, customerId: customer.id });
  const c = await s.store.createCase({
    channel,
    customerId: customer.platformUserId,
    conversationId: conv.id,
    category: opts.category === undefined ? 'quality' : opts.category,
    status: 'open',
    priority: opts.priority ?? 2,
  });
  const done = await escalate(s, { conversationId: conv.id, caseId: c.id, reason: opts.reason ?? 'customer asked for a person', key: `esc-${c.id}`, actor: 'system' });
  return done.case;
}
