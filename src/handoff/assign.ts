/**
 * The escalation queue and its assigner. Waiting cases are the store's `escalated` cases, ordered by priority
 * (1 first), then by how long they have waited; the store is the truth, so the queue survives a Redis loss.
 * BullMQ runs the assigner as a deduplicated job (at most one active and one waiting, across processes), so
 * two workers never hand the same agent more than their capacity. Each assignment is a compare-and-set on the
 * case, so an agent who claims a case by hand at the same moment simply wins.
 *
 * Eligible agents are online, under capacity, with matching skills (channel and category; none listed = all),
 * and not the one who just let the case breach its SLA; the least loaded goes first.
 */
import { CASE_CATEGORIES, CHANNELS, type Case } from '../core/types.js';
import type { Services } from '../services.js';
import type { ConsoleUser } from '../store/types.js';
import { changeCase } from '../store/versioned.js';
import { OWNED, QUEUED, tryTransition } from '../core/lifecycle.js';
import { notifyUser } from '../alerts/index.js';
import { isOnDuty, nextOnDuty } from './business-time.js';
import type { HandoffConfig } from './config.js';
import { caseRef } from './refs.js';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';

export const AGENT_ROLES: readonly ConsoleUser['role'][] = ['agent', 'supervisor'];
const WAITING_LIMIT = 200;

/** Asks the assigner to run soon (new escalation, agent online, capacity freed, SLA breach). */
export async function requestAssignment(s: Pick<Services, 'queues'>, reason: string): Promise<void> {
  await s.queues.add('assign', { reason }, { deduplication: { id: 'assigner', keepLastIfActive: true }, attempts: 3 });
}

/** When the case started waiting for a person (latest escalation), for queue order and SLA clocks. */
export function waitingSince(c: Case): string {
  return typeof c.data.escalatedAt === 'string' ? c.data.escalatedAt : c.createdAt;
}

/** Queue order: priority first, then the longest wait. */
export function queueOrder(a: Case, b: Case): number {
  return a.priority - b.priority || waitingSince(a).localeCompare(waitingSince(b)) || a.id.localeCompare(b.id);
}

export async function waitingCases(s: Pick<Services, 'store'>): Promise<Case[]> {
  // Escalated conversations and filed cases waiting for review (待审核), nobody on them yet.
  const page = await s.store.listCases({ status: [...QUEUED], limit: WAITING_LIMIT });
  return page.items.filter((c) => c.assignee === null).sort(queueOrder);
}

/** Does this person handle this kind of case? Skills list channels and/or categories; an empty dimension means all. */
export function hasSkills(user: Pick<ConsoleUser, 'skills'>, c: Pick<Case, 'channel' | 'category'>): boolean {
  const channels = user.skills.filter((k) => (CHANNELS as readonly string[]).includes(k));
  const categories = user.skills.filter((k) => (CASE_CATEGORIES as readonly string[]).includes(k));
  if (channels.length > 0 && !channels.includes(c.channel)) return false;
  if (categories.length > 0 && c.category !== null && !categories.includes(c.category)) return false;
  return true;
}

export interface AgentLoad {
  user: ConsoleUser;
  load: number;
}

/** Open workload of every person who takes cases. */
export async function agentLoads(s: Pick<Services, 'store'>): Promise<AgentLoad[]> {
  const users = (await s.store.listUsers()).filter((u) => AGENT_ROLES.includes(u.role));
  const out: AgentLoad[] = [];
  for (const user of users) {
    // Cases under review; decided ones waiting for the return parcel or the refund do not take a seat.
    const page = await s.store.listCases({ assignee: user.id, status: 'assigned', limit: 200 });
    out.push({ user, load: page.items.length });
  }
  return out;
}

/**
 * The best person for a case, or null. Someone who let this case breach its SLA is passed over while anyone
 * else can take it; with nobody else, the case goes back to them rather than waiting for no one.
 */
export function pickAgent(c: Case, loads: AgentLoad[]): AgentLoad | null {
  const excluded = Array.isArray(c.data.excludedAgents) ? (c.data.excludedAgents as string[]) : [];
  const able = loads.filter((a) => a.user.online && a.load < a.user.capacity && hasSkills(a.user, c));
  const preferred = able.filter((a) => !excluded.includes(a.user.id));
  const pool = preferred.length > 0 ? preferred : able;
  pool.sort((a, b) => a.load / a.user.capacity - b.load / b.user.capacity || a.load - b.load || a.user.username.localeCompare(b.user.username));
  return pool[0] ?? null;
}

export type Assignee = Pick<ConsoleUser, 'id' | 'displayName'> & Partial<ConsoleUser>;

/** Hands one case to one person: status assigned, event, agent told. Null when the case moved on meanwhile. */
export async function assignCase(s: Services, c: Case, user: Assignee, actor: string): Promise<Case | null> {
  const nowIso = new Date(s.clock.now()).toISOString();
  let changed = false;
  const updated = await changeCase(s.store, c.id, (cur) => {
    changed = false; // a retried update starts over
    // The assigner only hands out waiting cases; a person may also move a case someone owns.
    if (actor === 'system' && !QUEUED.includes(cur.status)) return null;
    if (cur.assignee === user.id && OWNED.includes(cur.status)) return null;
    const life = tryTransition(cur, { type: 'assign', to: user.id });
    if (!life) return null;
    changed = true;
    return { ...life, data: { ...cur.data, assignedAt: nowIso, firstAssignedAt: cur.data.firstAssignedAt ?? nowIso } };
  });
  if (!updated || !changed) return null;
  await s.store.addCaseEvent({ caseId: c.id, type: 'assigned', actor, data: { to: user.id, name: user.displayName } });
  s.log.info({ caseId: c.id, agent: user.username, priority: updated.priority }, 'case assigned');
  if (actor === user.id || !user.username) return updated;
  const book = s.data.templates;
  const notice = renderTemplate(book, 'queue.assigned', {
    urgent: updated.priority === 1 ? renderTemplate(book, 'queue.assigned.urgent') : '',
    caseRef: caseRef(c.id),
    category: updated.category ? categoryLabel(book, updated.category) : renderTemplate(book, 'queue.assigned.category_pending'),
  });
  await notifyUser(s, user as ConsoleUser, notice);
  return updated;
}

/** The category as people read it, from the same template labels the bot uses (商品质量问题, 物流/运输问题…); 未分类 when none. */
export const categoryLabel = (book: TemplateBook, c: string | null): string =>
  c === null ? renderTemplate(book, 'queue.category.none') : (book[`label.category.${c}`]?.[0] ?? c);

/** One pass of the assigner over the queue. Returns how many cases were handed out. */
export async function runAssigner(s: Services): Promise<number> {
  const waiting = await waitingCases(s);
  if (waiting.length === 0) return 0;
  const loads = await agentLoads(s);
  let assigned = 0;
  for (const c of waiting) {
    const agent = pickAgent(c, loads);
    if (!agent) continue;
    const done = await assignCase(s, c, agent.user, 'system');
    if (done) {
      agent.load += 1;
      assigned += 1;
    }
  }
  return assigned;
}

export interface WaitEstimate {
  /** Roughly how long until a person answers. */
  minutes: number;
  onDutyNow: boolean;
  /** When people are back, if nobody is on duty now (ISO). */
  backAt: string | null;
  /** Cases ahead of this one. */
  ahead: number;
}

/**
 * An honest estimate for the customer: how many wait ahead, how many people are free, and whether anyone is on
 * duty at all (outside the roster, the wait runs until the team is back).
 */
export async function estimateWait(s: Services, c: Case, opts: { config: HandoffConfig; floorMinutes: number }): Promise<WaitEstimate> {
  const now = s.clock.now();
  const waiting = await waitingCases(s);
  const ahead = waiting.filter((w) => w.id !== c.id && queueOrder(w, c) < 0).length;
  const loads = (await agentLoads(s)).filter((a) => a.user.online && hasSkills(a.user, c));
  const free = loads.filter((a) => a.load < a.user.capacity).length;
  const handle = opts.config.assignment.averageHandleMinutes;
  const queueMinutes = free > ahead ? opts.floorMinutes : Math.ceil(((ahead + 1) * handle) / Math.max(1, loads.length));
  const onDutyNow = isOnDuty(opts.config, now);
  if (onDutyNow) return { minutes: Math.max(opts.floorMinutes, queueMinutes), onDutyNow, backAt: null, ahead };
  const back = nextOnDuty(opts.config, now);
  const untilBack = back === null ? 0 : Math.ceil((back - now) / 60_000);
  return { minutes: untilBack + Math.max(opts.floorMinutes, queueMinutes), onDutyNow, backAt: back === null ? null : new Date(back).toISOString(), ahead };
}
