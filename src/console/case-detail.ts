/**
 * One case for the API and the console: the contract Case, its messages, and the handoff packet (summary,
 * order, policy verdict, mood, evidence, SLA, history with people's names), plus what the caller may do now.
 */
import type { Case } from '../core/types.js';
import { allows, OWNED, QUEUED } from '../core/lifecycle.js';
import { assertCanView, canView, loadCase, supervises, type Actor } from '../handoff/actions.js';
import { buildPacket, type HandoffPacket } from '../handoff/packet.js';
import type { Services } from '../services.js';
import { mayEdit } from './case-edit.js';
import { relatedCases, type RelatedCase } from './related.js';
import { caseJson, messageJson, type CaseJson, type MessageJson } from './views.js';

export interface CaseActions {
  claim: boolean;
  reply: boolean;
  note: boolean;
  resolve: boolean;
  handback: boolean;
  assign: boolean;
  /** Correct category, priority and resolution with a reason (case-edit.ts). */
  edit: boolean;
  /** Decide a case under review; record execution steps on an approved one. */
  approve: boolean;
  reject: boolean;
  step: boolean;
}

export type PacketJson = Omit<HandoffPacket, 'case' | 'transcript' | 'customer' | 'events'> & {
  customer: (NonNullable<HandoffPacket['customer']> & { id: string }) | null;
  events: (HandoffPacket['events'][number] & { actorName: string | null })[];
};

export interface CaseDetail extends CaseJson {
  messages: MessageJson[];
  assigneeName: string | null;
  packet: PacketJson;
  actions: CaseActions;
  /** The customer's other cases on every channel (see related.ts). */
  related: RelatedCase[];
}

/** Mirrors the rules in src/handoff/actions.ts so the console shows only buttons that will work. */
export function allowedActions(a: Actor, c: Case): CaseActions {
  const acts = a.role !== 'manager' && canView(a, c);
  const owns = OWNED.includes(c.status) && (c.assignee === a.id || supervises(a));
  const withPeople = QUEUED.includes(c.status) || OWNED.includes(c.status);
  return {
    claim: acts && (c.status === 'escalated' || c.status === 'open') && c.assignee === null,
    reply: acts && owns,
    note: acts,
    resolve: acts && (owns || (supervises(a) && (c.status === 'escalated' || c.status === 'open'))),
    handback: acts && ((owns && c.status === 'assigned') || (supervises(a) && c.status === 'escalated')),
    assign: acts && supervises(a) && withPeople,
    edit: mayEdit(a, c),
    approve: acts && owns && allows(c, 'approve'),
    reject: acts && owns && allows(c, 'reject'),
    step: acts && owns && allows(c, 'step'),
  };
}

export async function caseDetail(s: Services, actor: Actor, caseId: string): Promise<CaseDetail> {
  const c = await loadCase(s, caseId);
  assertCanView(actor, c);
  const [packet, conversation, users, related] = await Promise.all([buildPacket(s, c), s.store.getConversation(c.conversationId), s.store.listUsers(), relatedCases(s, actor, c)]);
  const names = new Map<string, string>(users.map((u) => [u.id, u.displayName]));
  names.set('api', 'API');
  const { case: _case, transcript, customer, events, ...rest } = packet;
  return {
    ...caseJson(c),
    messages: transcript.map(messageJson),
    assigneeName: c.assignee ? (names.get(c.assignee) ?? null) : null,
    packet: {
      ...rest,
      customer: customer && conversation ? { ...customer, id: conversation.customerId } : null,
      events: events.map((e) => ({ ...e, actorName: names.get(e.actor) ?? null })),
    },
    actions: allowedActions(actor, c),
    related,
  };
}
