/**
 * A message about a case's progress (decision, execution step) for the shopper: inside the platform window it goes
 * out through the outbox (idempotent per key); when the window is closed (WeCom 48 h / 5 messages, Douyin's reply
 * window) it becomes a task for a person to deliver another way, with the exact text to send.
 */
import type { Case, OutboundReply } from '../core/types.js';
import { writeOutbox } from '../pipeline/outbox.js';
import { outboxKey } from '../pipeline/keys.js';
import type { Services } from '../services.js';
import type { Conversation } from '../store/types.js';
import { renderTemplate, type TemplateVars } from '../../templates/render.js';

export type Told = { via: 'message'; outboxKey: string } | { via: 'task'; taskKey: string } | { via: 'none' };

/** The platform routing of the shopper's latest message, so an answer keeps Douyin msg_id / WeCom session. */
export function replyRouting(conv: Conversation): OutboundReply['replyTo'] {
  const { pipeline: _pipeline, ...routing } = conv.meta;
  return Object.fromEntries(
    Object.entries(routing).filter((e): e is [string, string | number | boolean | null] => e[1] === null || ['string', 'number', 'boolean'].includes(typeof e[1])),
  );
}

export async function tellShopper(
  s: Services,
  c: Case,
  input: { template: string; vars: TemplateVars; key: string; actor: string },
): Promise<Told> {
  const conv = await s.store.getConversation(c.conversationId);
  if (!conv) return { via: 'none' };
  const text = renderTemplate(s.data.templates, input.template, input.vars, { seed: 0 });
  const sender = s.senders[conv.channel];
  const window = sender ? sender.checkWindow(conv, s.clock.now(), { proactive: conv.lastCustomerAt === null, author: 'agent' }) : null;
  if (!window?.ok) {
    const taskKey = outboxKey('s', 'case-step-task', c.id, input.key);
    await s.store.insertTask({
      key: taskKey,
      kind: 'case_step',
      caseId: c.id,
      conversationId: conv.id,
      reason: renderTemplate(s.data.templates, 'case.step.task_reason', {}, { seed: 0 }),
      data: { channel: conv.channel, text, template: input.template },
    });
    return { via: 'task', taskKey };
  }
  const key = outboxKey('a', c.id, 'step', input.key);
  const reply: OutboundReply = { text, ...(conv.lastCustomerAt !== null ? { replyTo: replyRouting(conv) } : {}) };
  await writeOutbox(s, { key, conversationId: conv.id, channel: conv.channel, author: 'agent', authorId: input.actor, caseId: c.id, reply });
  return { via: 'message', outboxKey: key };
}
