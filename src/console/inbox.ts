/**
 * The console inbox: the waiting queue and the caller's own cases (everyone's, for supervisors), each with its
 * reference, wait and the nearest running SLA deadline, most urgent first: priority, then SLA time left.
 */
import { OWNED, QUEUED } from '../core/lifecycle.js';
import type { Case } from '../core/types.js';
import { supervises, type Actor } from '../handoff/actions.js';
import { categoryLabel, waitingCases, waitingSince } from '../handoff/assign.js';
import { caseRef } from '../handoff/refs.js';
import { runningClocks, type SlaType } from '../handoff/sla.js';
import type { Services } from '../services.js';
import { glance, type Glance } from './read-marks.js';

export type InboxView = 'default' | 'all';

export interface InboxItem {
  id: string;
  ref: string;
  channel: Case['channel'];
  category: Case['category'];
  categoryLabel: string;
  description: string | null;
  orderId: string | null;
  priority: Case['priority'];
  status: Case['status'];
  risk: boolean;
  assignee: string | null;
  assigneeName: string | null;
  mine: boolean;
  evidenceCount: number;
  waitingSince: string;
  waitingMs: number;
  /** The nearest running SLA clock; null when none runs. */
  sla: { type: SlaType; due: string; leftMs: number } | null;
  updatedAt: string;
}

/** An inbox line plus what the caller has not read yet and the newest message (see read-marks.ts). */
export type InboxEntry = InboxItem & Glance;

const ACTIVE_LIMIT = 200;

function nearestClock(s: Pick<Services, 'config' | 'data'>, c: Case, now: number): InboxItem['sla'] {
  let best: InboxItem['sla'] = null;
  for (const [type, clock] of Object.entries(runningClocks(s, c)) as [SlaType, { due: number }][]) {
    if (!best || clock.due - now < best.leftMs) best = { type, due: new Date(clock.due).toISOString(), leftMs: clock.due - now };
  }
  return best;
}

export function inboxOrder(a: InboxItem, b: InboxItem): number {
  const left = (i: InboxItem): number => i.sla?.leftMs ?? Number.POSITIVE_INFINITY;
  return a.priority - b.priority || left(a) - left(b) || a.waitingSince.localeCompare(b.waitingSince) || a.id.localeCompare(b.id);
}

export async function buildInbox(s: Services, actor: Actor, view: InboxView): Promise<{ now: string; items: InboxEntry[] }> {
  const now = s.clock.now();
  const cases = new Map<string, Case>();
  if (view === 'all' && (supervises(actor) || actor.role === 'manager')) {
    const page = await s.store.listCases({ status: [...QUEUED, ...OWNED], limit: ACTIVE_LIMIT });
    for (const c of page.items) cases.set(c.id, c);
  } else {
    for (const c of await waitingCases(s)) cases.set(c.id, c);
    const mine = await s.store.listCases({ assignee: actor.id, status: [...OWNED], limit: ACTIVE_LIMIT });
    for (const c of mine.items) cases.set(c.id, c);
  }
  const names = new Map((await s.store.listUsers()).map((u) => [u.id, u.displayName]));
  const items = await inboxEntries(s, actor, [...cases.values()], names, now);
  return { now: new Date(now).toISOString(), items: items.sort(inboxOrder) };
}

export function inboxItem(s: Pick<Services, 'config' | 'data'>, actor: Actor, c: Case, names: Map<string, string>, now: number): InboxItem {
  const since = waitingSince(c);
  return {
    id: c.id,
    ref: caseRef(c.id),
    channel: c.channel,
    category: c.category,
    categoryLabel: categoryLabel(s.data.templates, c.category),
    description: c.description ? c.description.slice(0, 80) : null,
    orderId: c.orderId,
    priority: c.priority,
    status: c.status,
    risk: c.risk,
    assignee: c.assignee,
    assigneeName: c.assignee ? (names.get(c.assignee) ?? null) : null,
    mine: c.assignee === actor.id,
    evidenceCount: c.evidence.length,
    waitingSince: since,
    waitingMs: Math.max(0, now - Date.parse(since)),
    sla: nearestClock(s, c, now),
    updatedAt: c.updatedAt,
  };
}

/** Inbox lines with the caller's unread count and last-message preview (the API token has no read marks). */
export async function inboxEntries(s: Services, actor: Actor, cases: Case[], names: Map<string, string>, now: number): Promise<InboxEntry[]> {
  const reader = actor.id === 'api' ? null : actor.id;
  return Promise.all(cases.map(async (c) => ({ ...inboxItem(s, actor, c, names, now), ...(await glance(s, reader, c)) })));
}
