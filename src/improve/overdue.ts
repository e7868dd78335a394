/**
 * Overdue improvement items alert once per item per due date: creating an item (or reopening it with a new due
 * date) adds a delayed `timer` job for the end of the due day (shop time, divided by TIME_SCALE), with a job id
 * and an alert key made of the item and its due date. When it fires, an item still open with the same due date
 * raises one `improvement_overdue` alert through the alert path (console feed, WeCom), naming the owner so
 * they get their own message. Timers live in Redis; the store has the due dates, so start-up rebuilds them.
 */
import { scaled } from '../../config/load-config.js';
import { raiseAlert } from '../alerts/index.js';
import { loadLabels, type Labels } from '../analytics/labels.js';
import { dayStart, DAY_MS } from '../analytics/period.js';
import { jobId } from '../pipeline/keys.js';
import type { JobMap } from '../queues/jobs.js';
import type { Services } from '../services.js';
import type { ImprovementItem } from '../store/types.js';
import { countLinked } from './linked.js';

export const OVERDUE_TIMER = 'improvement-overdue';
/** Open items are few (a manager opens them by hand); the start-up rebuild reads up to this many. */
const REBUILD_MAX = 200;

/** The instant the due day ends, shop time. */
export const dueEnd = (item: Pick<ImprovementItem, 'dueDate'>): number => dayStart(item.dueDate) + DAY_MS;

export const overdueKey = (item: Pick<ImprovementItem, 'id' | 'dueDate'>): string => `improvement:overdue:${item.id}:${item.dueDate}`;

export async function scheduleOverdue(s: Pick<Services, 'queues' | 'clock' | 'config'>, item: ImprovementItem): Promise<void> {
  if (item.status !== 'open') return;
  const data: JobMap['timer'] = { kind: OVERDUE_TIMER, subjectId: item.id, dueAt: dueEnd(item), payload: { dueDate: item.dueDate } };
  const delay = Math.max(0, scaled(s.config, dueEnd(item) - s.clock.now()));
  await s.queues.add('timer', data, { jobId: jobId(OVERDUE_TIMER, item.id, item.dueDate), delay });
}

export function dimensionName(labels: Labels, item: Pick<ImprovementItem, 'dimension' | 'key'>): { dimension: string; name: string } {
  return { dimension: labels.dimension(item.dimension), name: labels.value(item.dimension, item.key) };
}

/** The `timer` handler: alerts when the item is still open with the due date the timer was set for. */
export async function onOverdueTimer(s: Services, job: JobMap['timer'], labels: Labels = loadLabels()): Promise<string> {
  const item = await s.store.getImprovement(job.subjectId);
  if (!item || item.status !== 'open' || item.dueDate !== job.payload.dueDate) return 'not due';
  const owner = await s.store.getUser(item.ownerId);
  const vars = {
    ...dimensionName(labels, item),
    cause: labels.text(`improve.cause.${item.cause}`),
    owner: owner?.displayName ?? labels.text('value.none'),
    action: item.action,
    dueDate: item.dueDate,
    cases: await countLinked(s.store, item, s.clock.now()),
  };
  const alert = await raiseAlert(s, {
    key: overdueKey(item),
    kind: 'improvement_overdue',
    level: 'warning',
    title: labels.text('improve.overdue.title', vars),
    text: labels.text('improve.overdue.text', vars),
    data: {
      improvementId: item.id,
      dimension: item.dimension,
      value: item.key,
      dueDate: item.dueDate,
      ...(owner ? { notifyUserIds: [owner.id], notifyText: labels.text('improve.overdue.notify', vars) } : {}),
    },
  });
  return `overdue alert ${alert.id}`;
}

/** At start-up: re-creates the timer of every open item (Redis may have lost them). Returns how many. */
export async function rebuildOverdueTimers(s: Pick<Services, 'store' | 'queues' | 'clock' | 'config'>): Promise<number> {
  const open = await s.store.listImprovements({ status: 'open', limit: REBUILD_MAX });
  for (const item of open) await scheduleOverdue(s, item);
  return open.length;
}
