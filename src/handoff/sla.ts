/**
 * Service levels for cases with people: first response (from entering the queue), next response (from a
 * customer message the agent has not answered yet) and resolution (from the first escalation), each counted in
 * on-duty time (config/handoff.json) and divided by TIME_SCALE.
 *
 * Deadlines live in the case (`Case.sla`); timers are BullMQ delayed jobs whose ids are derived from the case
 * and the moment the clock started, so re-scheduling is a no-op and `rebuildSlaTimers` can re-create them from
 * the store after a restart or a Redis loss. A timer acts only if its clock is still running when it fires.
 *
 * A breach is recorded once, alerts the supervisors (console feed + WeCom when configured), and puts an
 * assigned case back in the queue for someone else.
 */
import { scaled } from '../../config/load-config.js';
import type { Case, CaseStatus, SlaState, SlaType } from '../core/types.js';
import { raiseAlert } from '../alerts/index.js';
import { changeCase } from '../store/versioned.js';
import { tryTransition } from '../core/lifecycle.js';
import { jobId } from '../pipeline/keys.js';
import type { JobMap } from '../queues/jobs.js';
import type { Services } from '../services.js';
import { categoryLabel, requestAssignment } from './assign.js';
import { addBusinessMs } from './business-time.js';
import type { HandoffConfig } from './config.js';
import { caseRef } from './refs.js';
import { renderTemplate } from '../../templates/render.js';

export type { SlaBreach, SlaState, SlaType } from '../core/types.js';

export const SLA_TIMER = 'sla';

const MINUTE = 60_000;
const WITH_PEOPLE: readonly CaseStatus[] = ['open', 'escalated', 'assigned'];

export const handoffConfigOf = (s: Pick<Services, 'data'>): HandoffConfig => s.data.handoff;
const ms = (isoText: unknown): number | null => (typeof isoText === 'string' && !Number.isNaN(Date.parse(isoText)) ? Date.parse(isoText) : null);
const isoOf = (t: number): string => new Date(t).toISOString();

/** The case's SLA state; a case no clock has run for yet has no deadlines and no breaches. */
export function readSla(c: Pick<Case, 'sla'>): SlaState {
  return c.sla ?? { firstResponseDue: null, nextResponseDue: null, resolutionDue: null, decisionDue: null, breaches: [] };
}

/** The clocks running for a case now: type → [anchor (when it started), due]. */
export function runningClocks(s: Pick<Services, 'config' | 'data'>, c: Case): Partial<Record<SlaType, { anchor: number; due: number }>> {
  if (!WITH_PEOPLE.includes(c.status)) return {};
  const cfg = handoffConfigOf(s);
  const out: Partial<Record<SlaType, { anchor: number; due: number }>> = {};
  const escalatedAt = ms(c.data.escalatedAt);
  const lastReply = ms(c.data.lastAgentReplyAt);
  const breaches = readSla(c).breaches;
  const add = (type: SlaType, anchor: number, minutes: number): void => {
    // After a breach the clock restarts from the breach, so a case nobody answers keeps alerting (bounded below).
    const last = breaches.filter((b) => b.type === type && b.anchor === isoOf(anchor)).length;
    const from = last > 0 ? Math.max(anchor, ...breaches.filter((b) => b.type === type).map((b) => Date.parse(b.at))) : anchor;
    out[type] = { anchor, due: addBusinessMs(cfg, from, scaled(s.config, minutes * MINUTE)) };
  };
  if (escalatedAt !== null && (lastReply === null || lastReply < escalatedAt)) add('first', escalatedAt, cfg.sla.firstResponseMinutes);
  // A case the bot filed waits for review (待审核): a person answers within the review response time and decides
  // (approve/reject) within the decision time; an escalation of it runs on the escalation clocks above instead.
  const filedAt = ms(c.data.filedAt);
  if (filedAt !== null && escalatedAt === null) {
    if (lastReply === null || lastReply < filedAt) add('first', filedAt, cfg.review.firstResponseMinutes);
    add('decision', filedAt, cfg.review.decisionHours * 60);
  }
  const awaiting = ms(c.data.awaitingReplySince);
  if (awaiting !== null && c.status === 'assigned') add('next', awaiting, cfg.sla.nextResponseMinutes);
  const started = ms(c.data.firstEscalatedAt) ?? escalatedAt;
  const resolutionBreached = breaches.some((b) => b.type === 'resolution');
  if (started !== null && !resolutionBreached) add('resolution', started, cfg.sla.resolutionHours * 60);
  return out;
}

function breachCount(c: Case, type: SlaType, anchor: number): number {
  return readSla(c).breaches.filter((b) => b.type === type && b.anchor === isoOf(anchor)).length;
}

/** Writes the deadlines into the case and makes sure a timer exists for each running clock. Idempotent. */
export async function scheduleSla(s: Services, c: Case): Promise<Case> {
  const clocks = runningClocks(s, c);
  const sla = readSla(c);
  const next: SlaState = {
    ...sla,
    firstResponseDue: clocks.first ? isoOf(clocks.first.due) : null,
    nextResponseDue: clocks.next ? isoOf(clocks.next.due) : null,
    resolutionDue: clocks.resolution ? isoOf(clocks.resolution.due) : sla.resolutionDue,
    decisionDue: clocks.decision ? isoOf(clocks.decision.due) : null,
  };
  let updated = c;
  if (JSON.stringify(next) !== JSON.stringify(sla)) {
    updated = (await changeCase(s.store, c.id, () => ({ sla: next }))) ?? c;
  }
  const now = s.clock.now();
  const maxRounds = handoffConfigOf(s).sla.maxReassignments;
  for (const [type, clock] of Object.entries(clocks) as [SlaType, { anchor: number; due: number }][]) {
    const round = breachCount(updated, type, clock.anchor);
    // Alert and reassign a bounded number of times; after that the supervisors already know.
    if (round > maxRounds) continue;
    // A breach with nobody on the case has nobody to move it from: the supervisors were told once, that is enough.
    if (readSla(updated).breaches.some((b) => b.type === type && b.anchor === isoOf(clock.anchor) && b.agent === null)) continue;
    const data: JobMap['timer'] = { kind: SLA_TIMER, subjectId: c.id, dueAt: clock.due, payload: { type, anchor: isoOf(clock.anchor), round } };
    await s.queues.add('timer', data, { jobId: jobId(SLA_TIMER, type, c.id, clock.anchor, round), delay: Math.max(0, clock.due - now) });
  }
  return updated;
}

/** An agent answered: the first-response and next-response clocks stop. */
export async function clearSlaOnReply(s: Services, caseId: string): Promise<Case | null> {
  const now = isoOf(s.clock.now());
  const updated = await changeCase(s.store, caseId, (cur) => ({
    data: { ...cur.data, lastAgentReplyAt: now, firstResponseAt: cur.data.firstResponseAt ?? now, awaitingReplySince: null },
  }));
  return updated ? scheduleSla(s, updated) : null;
}

/** The customer wrote while a person owns the conversation: start the next-response clock if it is not running. */
export async function noteCustomerWhileHuman(s: Services, conversationId: string, sentAt: number): Promise<void> {
  const page = await s.store.listCases({ conversationId, status: 'assigned', limit: 5 });
  for (const c of page.items) {
    if (c.data.awaitingReplySince) continue;
    if (!c.data.lastAgentReplyAt) continue; // still on the first-response clock
    const at = isoOf(Math.max(sentAt, Date.parse(c.data.lastAgentReplyAt as string) + 1));
    const updated = await changeCase(s.store, c.id, (cur) => (cur.data.awaitingReplySince ? null : { data: { ...cur.data, awaitingReplySince: at } }));
    if (updated) await scheduleSla(s, updated);
  }
}

/** The `sla` timer: records a breach if the clock it was set for is still running, alerts, and requeues. */
export async function onSlaTimer(s: Services, job: JobMap['timer']): Promise<string> {
  const type = job.payload.type as SlaType;
  const anchor = String(job.payload.anchor);
  const c = await s.store.getCase(job.subjectId);
  if (!c) return 'skipped';
  const clock = runningClocks(s, c)[type];
  if (!clock || isoOf(clock.anchor) !== anchor) return 'stopped';
  if (clock.due > s.clock.now()) {
    // Deadline moved later (e.g. the roster closed meanwhile): wait for the new one.
    await scheduleSla(s, c);
    return 'rescheduled';
  }
  const cfg = handoffConfigOf(s);
  const round = Number(job.payload.round ?? 0);
  if (breachCount(c, type, clock.anchor) > round) return 'already';
  const now = isoOf(s.clock.now());
  const agent = c.status === 'assigned' ? c.assignee : null;
  const reassign = agent !== null && round < cfg.sla.maxReassignments;
  const updated = await changeCase(s.store, c.id, (cur) => {
    const sla = readSla(cur);
    if (sla.breaches.filter((b) => b.type === type && b.anchor === anchor).length > round) return null;
    const breaches = [...sla.breaches, { type, at: now, anchor, agent }];
    const excluded = Array.isArray(cur.data.excludedAgents) ? (cur.data.excludedAgents as string[]) : [];
    const requeue = reassign && cur.status === 'assigned' ? tryTransition(cur, { type: 'unassign' }) : null;
    return { ...requeue, sla: { ...sla, breaches }, ...(reassign && agent ? { data: { ...cur.data, excludedAgents: [...new Set([...excluded, agent])] } } : {}) };
  });
  if (!updated) return 'skipped';
  await s.store.addCaseEvent({ caseId: c.id, type: 'sla_breached', actor: 'system', data: { sla: type, anchor, agent, reassigned: reassign } });
  const t = s.data.templates;
  const who = agent ? ((await s.store.getUser(agent))?.displayName ?? renderTemplate(t, 'sla.alert.agent_unnamed')) : renderTemplate(t, 'sla.alert.nobody');
  await raiseAlert(s, {
    key: `sla:${c.id}:${type}:${anchor}:${round}`,
    kind: 'sla_breach',
    level: c.priority === 1 ? 'critical' : 'warning',
    title: renderTemplate(t, 'sla.alert.title', { caseRef: caseRef(c.id), sla: renderTemplate(t, `sla.type.${type}`) }),
    text: renderTemplate(t, 'sla.alert.text', {
      category: categoryLabel(t, c.category),
      priority: c.priority,
      agent: who,
      reassigned: reassign ? renderTemplate(t, 'sla.alert.reassigned') : '',
    }),
    caseId: c.id,
    data: { sla: type, anchor, agent },
  });
  s.log.warn({ caseId: c.id, sla: type, reassigned: reassign }, 'SLA breached');
  if (reassign) await requestAssignment(s, 'sla breach');
  await scheduleSla(s, updated);
  return 'breached';
}

/** At start-up: re-creates the timers of every case with people from the store (Redis may have lost them). */
export async function rebuildSlaTimers(s: Services): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await s.store.listCases({ status: [...WITH_PEOPLE], limit: 200, ...(cursor ? { cursor } : {}) });
    for (const c of page.items) {
      await scheduleSla(s, c);
      n += 1;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return n;
}
