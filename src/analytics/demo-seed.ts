/**
 * Writes a demo plan (demo-data.ts) into any Store through its public methods: customers and conversations,
 * the buyers' messages (already processed, so no worker picks them up), the cases in one batch, and the case
 * events of their history. A setting marks the store as seeded, so a second run can say so and stop.
 */
import type { Case } from '../core/types.js';
import type { CaseEventType, Store } from '../store/types.js';
import type { DemoCase, DemoCustomer } from './demo-data.js';

export const DEMO_MARKER = 'demo.seededAt';

export interface WriteDemoOptions {
  /** Store the buyers' messages too (transcripts in the console); tests skip them for speed. */
  messages?: boolean;
  events?: boolean;
  progress?: (step: string, done: number, total: number) => void;
}

export async function writeDemo(
  store: Store,
  plan: { customers: DemoCustomer[]; cases: DemoCase[] },
  opts: WriteDemoOptions = {},
): Promise<Case[]> {
  const progress = opts.progress ?? (() => undefined);
  const conversations: string[] = [];
  for (const [i, c] of plan.customers.entries()) {
    const customer = await store.upsertCustomer({ channel: c.channel, platformUserId: c.platformUserId, nickname: c.nickname });
    const meta = c.channel === 'wecom' ? { open_kfid: c.conversationKey.split(':')[0] ?? '' } : {};
    const conv = await store.getOrCreateConversation({ channel: c.channel, key: c.conversationKey, customerId: customer.id, meta });
    conversations.push(conv.id);
    if (i % 250 === 0 || i === plan.customers.length - 1) progress('customers', i + 1, plan.customers.length);
  }

  const cases: Case[] = plan.cases.map((d) => ({ ...d.case, conversationId: conversations[d.customer] as string }));
  for (let i = 0; i < cases.length; i += 1000) {
    await store.importCases(cases.slice(i, i + 1000));
    progress('cases', Math.min(i + 1000, cases.length), cases.length);
  }

  if (opts.messages ?? true) {
    for (const [i, d] of plan.cases.entries()) {
      const customer = plan.customers[d.customer] as DemoCustomer;
      for (const [n, m] of d.messages.entries()) {
        const { row } = await store.insertInbound(conversations[d.customer] as string, {
          channel: customer.channel,
          platformMsgId: `demo-${d.case.id}-${n}`,
          conversationKey: customer.conversationKey,
          platformUserId: customer.platformUserId,
          sentAt: Math.round(m.at),
          from: 'customer',
          kind: 'text',
          text: m.text,
          attachments: [],
          meta: {},
        });
        await store.setInboundStatus(row.id, 'processed');
      }
      if (i % 250 === 0 || i === plan.cases.length - 1) progress('messages', i + 1, plan.cases.length);
    }
  }

  if (opts.events ?? true) {
    for (const [i, c] of cases.entries()) {
      for (const e of historyOf(c)) await store.addCaseEvent({ caseId: c.id, ...e });
      if (i % 250 === 0 || i === cases.length - 1) progress('events', i + 1, cases.length);
    }
  }
  return cases;
}

/** The events a case with these timestamps would have collected on its way. */
function historyOf(c: Case): { type: CaseEventType; actor: string; at: string; data: Record<string, unknown> }[] {
  const d = c.data as Record<string, unknown>;
  const at = (k: string): string | null => (typeof d[k] === 'string' ? (d[k] as string) : null);
  const out: { type: CaseEventType; actor: string; at: string; data: Record<string, unknown> }[] = [
    { type: 'created', actor: 'bot', at: c.createdAt, data: { category: c.category, priority: c.priority, demo: true } },
  ];
  const escalated = at('firstEscalatedAt');
  if (escalated) out.push({ type: 'escalated', actor: 'bot', at: escalated, data: { demo: true } });
  const assigned = at('assignedAt');
  if (assigned && c.assignee) out.push({ type: 'assigned', actor: 'system', at: assigned, data: { assignee: c.assignee, demo: true } });
  const resolved = at('resolvedAt');
  const by = typeof d.resolvedBy === 'string' ? d.resolvedBy : 'bot';
  if (resolved) out.push({ type: 'resolved', actor: by, at: resolved, data: { resolution: c.resolution, demo: true } });
  const closed = at('closedAt');
  if (closed) out.push({ type: 'closed', actor: 'system', at: closed, data: { demo: true } });
  if (c.csat !== null) out.push({ type: 'csat', actor: 'customer', at: closed ?? resolved ?? c.updatedAt, data: { score: c.csat, demo: true } });
  if (c.reopenCount > 0) out.push({ type: 'reopened', actor: 'customer', at: closed ?? resolved ?? c.updatedAt, data: { demo: true } });
  return out;
}
