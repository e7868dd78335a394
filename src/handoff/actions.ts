/**
 * What people do with a case: claim, reply, note, resolve, hand back to the bot, reassign. Each action checks
 * the case's state and the person's rights, changes the case with one compare-and-set, records an event, and
 * keeps the conversation's mode in step (`human` while a person owns it: the bot stays silent).
 *
 * Errors are coded: 404 unknown case, 403 someone else's case, 409 an action the state forbids.
 */
import { randomUUID } from 'node:crypto';
import type { Case, OutboundReply } from '../core/types.js';
import { badRequest, conflict, forbidden, notFound } from '../core/errors.js';
import { changeConversation, setConversationMode } from '../store/versioned.js';
import { OWNED, QUEUED, refusal, transition } from '../core/lifecycle.js';
import { moveCase, resolveStored } from '../store/case-moves.js';
import { outboxKey } from '../pipeline/keys.js';
import { triggerConversation } from '../pipeline/ingest.js';
import { answeredPatch, handBackPatch, replayOf } from '../pipeline/replay.js';
import { renderTemplate } from '../../templates/render.js';
import type { Services } from '../services.js';
import type { OutboxRow, Role } from '../store/types.js';
import { AGENT_ROLES, assignCase, requestAssignment } from './assign.js';
import { signReply } from './signature.js';
import { clearSlaOnReply, scheduleSla } from './sla.js';
import { writeOutbox } from '../pipeline/outbox.js';
import { replyRouting, tellShopper } from '../cases/tell-shopper.js';
import { caseRef } from './refs.js';

/** Who acts: a console user, or an integration holding API_TOKEN (id `api`, admin rights). */
export interface Actor {
  id: string;
  role: Role;
  name: string;
}

export const REPLY_MAX_CHARS = 2000;
export const NOTE_MAX_CHARS = 2000;
const SUPERVISING: readonly Role[] = ['supervisor', 'admin'];
export const supervises = (a: Actor): boolean => SUPERVISING.includes(a.role);

/** Post-resolution hooks (surveys, follow-ups) registered by the composition root. */
export type ResolvedHook = (s: Services, c: Case) => Promise<void>;

const iso = (s: Pick<Services, 'clock'>): string => new Date(s.clock.now()).toISOString();

export async function loadCase(s: Pick<Services, 'store'>, caseId: string): Promise<Case> {
  const c = await s.store.getCase(caseId);
  if (!c) throw notFound('case_not_found', `case ${caseId} not found`);
  return c;
}

/**
 * May this person see the case? Agents: their own, and what is waiting for a person (escalated, or open for the
 * taking) — not the bot's conversations or other people's history. Supervisors, admins, managers: all.
 */
export function canView(a: Actor, c: Case): boolean {
  if (a.role !== 'agent') return true;
  return c.assignee === a.id || (c.assignee === null && QUEUED.includes(c.status));
}

/** Taking a case makes a person responsible for it: an integration's token cannot be that person. */
function assertPerson(a: Actor, what: string): void {
  if (a.id === 'api') throw forbidden('console_user_required', `an API token cannot ${what}; assign the case to a person with POST /api/cases/:id/assign`);
}

export function assertCanView(a: Actor, c: Case): void {
  if (!canView(a, c)) throw forbidden('not_your_case', 'this case belongs to another agent');
}

/** Acting on a case someone owns: the owner, or a supervisor/admin. */
function assertOwner(a: Actor, c: Case, what: string): void {
  assertCanView(a, c);
  if (!OWNED.includes(c.status)) throw conflict('not_assigned', `case is ${c.status}: claim it before you ${what}`);
  if (c.assignee !== a.id && !supervises(a)) throw forbidden('not_your_case', 'this case belongs to another agent');
}

export async function claimCase(s: Services, a: Actor, caseId: string): Promise<Case> {
  assertPerson(a, 'claim a case');
  const c = await loadCase(s, caseId);
  assertCanView(a, c);
  if (OWNED.includes(c.status) && c.assignee === a.id) return c;
  if (OWNED.includes(c.status)) throw conflict('already_assigned', 'another agent already took this case');
  if (!QUEUED.includes(c.status)) throw conflict('not_claimable', `a ${c.status} case cannot be claimed`);
  const updated = await assignCase(s, c, { id: a.id, displayName: a.name }, a.id);
  if (!updated) {
    const now = await loadCase(s, caseId);
    if (OWNED.includes(now.status) && now.assignee === a.id) return now;
    throw conflict('already_assigned', 'another agent took this case first');
  }
  await setConversationMode(s.store, updated.conversationId, 'human');
  await scheduleSla(s, updated);
  return updated;
}

export interface ReplyResult {
  case: Case;
  outbox: OutboxRow;
}

/** Sends the agent's words to the customer through the case's channel (window rules apply; a closed window holds it). */
export async function replyToCase(s: Services, a: Actor, caseId: string, text: string, clientId?: string): Promise<ReplyResult> {
  const words = text.trim();
  if (!words) throw badRequest('empty_reply', 'reply text is empty');
  if (words.length > REPLY_MAX_CHARS) throw badRequest('reply_too_long', `reply is longer than ${REPLY_MAX_CHARS} characters`);
  const c = await loadCase(s, caseId);
  assertOwner(a, c, 'reply');
  const conv = await s.store.getConversation(c.conversationId);
  if (!conv) throw notFound('conversation_not_found', 'the case has no conversation');
  // Answering the customer's latest message keeps platform routing (Douyin msg_id, WeCom session) intact.
  const reply: OutboundReply = { text: signReply(words, a.id === 'api' ? null : a.name, s.data.templates), ...(conv.lastCustomerAt !== null ? { replyTo: replyRouting(conv) } : {}) };
  const key = outboxKey('a', c.id, clientId ?? randomUUID());
  const { row, inserted } = await writeOutbox(s, { key, conversationId: conv.id, channel: conv.channel, author: 'agent', authorId: a.id, caseId: c.id, reply });
  if (inserted) {
    // The agent answered: what the shopper wrote before is no longer waiting (nothing to replay at a hand-back).
    await changeConversation(s.store, conv.id, (cur) => answeredPatch(cur, 'human'));
    await s.store.addCaseEvent({ caseId: c.id, type: 'reply', actor: a.id, data: { outboxKey: key, chars: words.length } });
  }
  const updated = await clearSlaOnReply(s, c.id);
  return { case: updated ?? c, outbox: row };
}

export async function addNote(s: Services, a: Actor, caseId: string, text: string): Promise<Case> {
  const words = text.trim();
  if (!words) throw badRequest('empty_note', 'note text is empty');
  if (words.length > NOTE_MAX_CHARS) throw badRequest('note_too_long', `note is longer than ${NOTE_MAX_CHARS} characters`);
  const c = await loadCase(s, caseId);
  assertCanView(a, c);
  await s.store.addCaseEvent({ caseId: c.id, type: 'note', actor: a.id, data: { text: words, by: a.name } });
  return c;
}

export async function resolveCase(s: Services, a: Actor, caseId: string, note: string | null, hooks: ResolvedHook[] = []): Promise<Case> {
  const c = await loadCase(s, caseId);
  transition(c, { type: 'resolve' });
  if (OWNED.includes(c.status)) assertOwner(a, c, 'resolve it');
  else if (!supervises(a)) throw conflict('not_assigned', `case is ${c.status}: claim it before you resolve it`);
  const { case: updated, resolvedNow } = await resolveStored(s, c.id, { actor: a.id, source: 'console', note: note?.slice(0, NOTE_MAX_CHARS) ?? null });
  if (!updated || !resolvedNow) throw conflict('already_resolved', 'case changed meanwhile');
  // Resolved: what was left unanswered belongs to this case, not to a later hand-back.
  await changeConversation(s.store, c.conversationId, (cur) => answeredPatch(cur, 'bot'));
  await requestAssignment(s, 'capacity freed');
  // The case is resolved whatever follows: a hook that fails (Redis away) is rebuilt from the store at start-up.
  for (const hook of hooks) {
    await hook(s, updated).catch((err: unknown) => s.log.warn({ caseId: c.id, err: err instanceof Error ? err.message : String(err) }, 'after-resolution step failed; it is rebuilt at the next start'));
  }
  return updated;
}

/** The bot takes the conversation again; the case stays open for the bot's flow (progress answers, 抖店 updates). */
export async function handBack(s: Services, a: Actor, caseId: string): Promise<Case> {
  const c = await loadCase(s, caseId);
  if (!['assigned', 'escalated'].includes(c.status)) throw conflict('not_handed_over', `a ${c.status} case is not with people`);
  if (c.status === 'assigned') assertOwner(a, c, 'hand it back');
  else if (!supervises(a)) throw conflict('not_assigned', 'claim the case before you hand it back');
  const { case: updated, moved } = await moveCase(s.store, c.id, { type: 'hand_back' }, (cur) => ({ data: { ...cur.data, handedBackAt: iso(s), awaitingReplySince: null } }));
  if (!updated || !moved) throw conflict('not_handed_over', 'case changed meanwhile');
  await s.store.addCaseEvent({ caseId: c.id, type: 'handed_back', actor: a.id, data: {} });
  // The shopper hears who answers now. Messages of theirs nobody answered are marked for the bot in the same
  // change that gives it the conversation; the drain answers them, the notice first (src/pipeline/replay.ts).
  const vars = { caseRef: caseRef(c.id) };
  const notice = renderTemplate(s.data.templates, 'case.handed_back.unanswered', vars, { seed: 0 });
  const replayKey = `${c.id}:${updated.version}`;
  const conv = await changeConversation(s.store, c.conversationId, (cur) => handBackPatch(cur, replayKey, notice));
  if (conv && replayOf(conv)?.key === replayKey) {
    // The marker is in the store: with Redis away now, the reconciler finds it and the drain answers later.
    await triggerConversation(s, conv.id).catch((err: unknown) =>
      s.log.warn({ conversationId: conv.id, err: err instanceof Error ? err.message : String(err) }, 'hand-back replay not triggered; the reconciler will'),
    );
  } else await tellShopper(s, updated, { template: 'case.handed_back', vars, key: `handback-${updated.version}`, actor: a.id });
  await requestAssignment(s, 'capacity freed');
  return updated;
}

/** A supervisor moves a case to a named person (or back to the queue with `toUserId` null). */
export async function reassignCase(s: Services, a: Actor, caseId: string, toUserId: string | null): Promise<Case> {
  if (!supervises(a)) throw forbidden('supervisor_only', 'only a supervisor or admin can reassign cases');
  const c = await loadCase(s, caseId);
  if (!QUEUED.includes(c.status) && !OWNED.includes(c.status)) throw refusal(c, 'assign');
  if (toUserId === null) {
    if (c.status !== 'assigned') return c;
    const { case: back } = await moveCase(s.store, c.id, { type: 'unassign' });
    await s.store.addCaseEvent({ caseId: c.id, type: 'unassigned', actor: a.id, data: { from: c.assignee } });
    await requestAssignment(s, 'case back in queue');
    return back ?? c;
  }
  const user = await s.store.getUser(toUserId);
  if (!user) throw notFound('user_not_found', `user ${toUserId} not found`);
  if (!AGENT_ROLES.includes(user.role) && user.role !== 'admin') throw conflict('not_an_agent', `${user.displayName} (${user.role}) does not take cases`);
  // Moving a case to the person who already has it changes nothing and is not an error.
  if (c.assignee === user.id && OWNED.includes(c.status)) return c;
  const updated = await assignCase(s, c, user, a.id);
  if (!updated) throw conflict('not_assignable', 'case changed meanwhile');
  await setConversationMode(s.store, c.conversationId, 'human');
  await scheduleSla(s, updated);
  return updated;
}

export async function setPresence(s: Services, userId: string, online: boolean): Promise<void> {
  const u = await s.store.updateUser(userId, { online });
  if (!u) throw notFound('user_not_found', `user ${userId} not found`);
  if (online) await requestAssignment(s, 'agent online');
}
