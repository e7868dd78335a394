/**
 * The single entry point for handing a conversation to people. It marks the case `escalated` (creating a
 * bare one when the customer has none yet), raises its priority per policy, records an `escalated` event
 * with a one-line reason, and says roughly how long a person will take. The escalation queue and assignment
 * build on top of this function.
 *
 * Idempotent per `key`: a re-run of the same message or job changes nothing more.
 */
import type { Case, Priority } from '../core/types.js';
import { ACTIVE, DONE, tryTransition } from '../core/lifecycle.js';
import type { Policies } from '../dialogue/policies.js';
import { newIntake } from '../dialogue/state.js';
import type { Services } from '../services.js';
import { createCaseFromIntake } from './create.js';
import { caseCustomerId } from './customer.js';
import { addEventOnce, changeCase, setConversationMode } from '../store/versioned.js';
import { enterQueue, type QueueEntry } from '../handoff/queue-entry.js';
import { renderTemplate } from '../../templates/render.js';

export interface EscalateInput {
  conversationId: string;
  /** The case to escalate; default the conversation's newest active case, or a new bare one. */
  caseId?: string | null;
  /** One line for the agent, e.g. 'customer asked for a person'. */
  reason: string;
  /** Raise to at least this priority (1 = most urgent). */
  priority?: Priority;
  risk?: boolean;
  /** Idempotency key: the inbox row id or job id that caused it. */
  key: string;
  /** `bot`, `system` or a console user id. */
  actor?: string;
  /**
   * True when called by the dialogue: it switches the conversation to `human` itself through its BotOutput
   * (inside the pipeline's compare-and-set). Every other caller lets this function switch it.
   */
  fromBot?: boolean;
  /** For a bare case: the customer's words that caused it. */
  description?: string | null;
  policies?: Policies;
}

export interface Escalation {
  case: Case;
  /** Roughly how long until a person answers: the queue's estimate, or the policy file's figure. */
  handoffMinutes: number;
  /** The same as customer words: 「约15分钟内」, 「明天 09:00 上班后」. */
  handoffWhen: string;
}

/** Full services put the case in the people queue (assigner, SLA timers, alerts); bare ones only record it. */
type Deps = Pick<Services, 'store' | 'clock' | 'log' | 'data'> | Services;
const hasQueues = (s: Deps): s is Services => 'queues' in s && 'config' in s;


const policiesOf = (s: Deps, input: EscalateInput): Policies => input.policies ?? s.data.policies;

async function targetCase(s: Deps, input: EscalateInput, p: Policies): Promise<Case> {
  if (input.caseId) {
    const found = await s.store.getCase(input.caseId);
    if (found) return found;
  }
  const own = await s.store.listCases({ conversationId: input.conversationId, limit: 50 });
  const byKey = own.items.find((c) => c.data.intakeKey === input.key);
  if (byKey) return byKey;
  const active = own.items.find((c) => ACTIVE.includes(c.status));
  if (active) return active;
  const conv = await s.store.getConversation(input.conversationId);
  if (!conv) throw new Error(`conversation ${input.conversationId} not found`);
  const customer = await s.store.getCustomer(conv.customerId);
  const intake = { ...newIntake(input.key), description: input.description?.slice(0, p.intake.descriptionMaxChars) ?? null };
  return createCaseFromIntake(s, {
    conversationId: conv.id,
    channel: conv.channel,
    customerId: caseCustomerId(customer, conv),
    intake,
    key: input.key,
    policies: p,
    memberLevel: customer?.memberLevel ?? null,
    risk: input.risk ?? false,
    how: 'escalated',
    now: s.clock.now(),
  });
}

export async function escalate(s: Deps, input: EscalateInput): Promise<Escalation> {
  const p = policiesOf(s, input);
  const target = await targetCase(s, input, p);
  const risk = input.risk ?? false;
  const raiseTo = Math.min(input.priority ?? 3, risk && p.priority.urgentWhen.risk ? p.priority.urgent : 3) as Priority;

  await addEventOnce(s.store, {
    caseId: target.id,
    type: 'escalated',
    actor: input.actor ?? 'bot',
    key: input.key,
    data: { reason: input.reason, risk },
  });
  const updated = await changeCase(s.store, target.id, (c) => {
    const priority = Math.min(c.priority, raiseTo) as Priority;
    // A person who owns the case keeps it; a resolved or closed one is reopened, back in the queue with nobody on it.
    const life = tryTransition(c, { type: DONE.includes(c.status) ? 'reopen' : 'escalate' }) ?? { status: c.status };
    const seen = c.data.escalation as { key?: unknown } | undefined;
    if (seen?.key === input.key && c.priority === priority && c.status === life.status) return null;
    const at = new Date(s.clock.now()).toISOString();
    const entering = life.status === 'escalated' && (c.status !== 'escalated' || typeof c.data.escalatedAt !== 'string');
    return {
      ...life,
      priority,
      risk: c.risk || risk,
      data: {
        ...c.data,
        escalation: { key: input.key, reason: input.reason, at },
        ...(entering ? { escalatedAt: at, firstEscalatedAt: c.data.firstEscalatedAt ?? at } : {}),
      },
    };
  });
  const kase = updated ?? target;

  if (!input.fromBot) await setConversationMode(s.store, input.conversationId, 'human');
  s.log.info({ caseId: kase.id, priority: kase.priority, reason: input.reason }, 'conversation escalated to people');
  const floor = p.expectations.handoffMinutesByPriority[String(kase.priority) as '1' | '2' | '3'];
  let entry: QueueEntry = { case: kase, handoffMinutes: floor, handoffWhen: renderTemplate(s.data.templates, 'queue.wait.minutes', { minutes: floor }) };
  if (hasQueues(s)) entry = await enterQueue(s, { case: kase, floorMinutes: floor, reason: input.reason, risk, key: input.key, words: input.description ?? kase.description });
  return entry;
}
