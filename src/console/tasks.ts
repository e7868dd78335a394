/**
 * Work for people that machines gave up on (a survey whose window closed, a customer to call back). Agents see
 * tasks for them or for nobody, on cases they may see; supervisors and admins see all.
 */
import { conflict, forbidden, notFound } from '../core/errors.js';
import { canView, type Actor } from '../handoff/actions.js';
import { caseRef } from '../handoff/refs.js';
import type { Services } from '../services.js';
import type { Task, TaskStatus } from '../store/types.js';

export interface TaskJson extends Task {
  caseRef: string | null;
}

const taskJson = (t: Task): TaskJson => ({ ...t, caseRef: t.caseId ? caseRef(t.caseId) : null });

async function visible(s: Services, actor: Actor, t: Task): Promise<boolean> {
  if (actor.role !== 'agent') return true;
  if (t.assignee !== null && t.assignee !== actor.id) return false;
  if (!t.caseId) return true;
  const c = await s.store.getCase(t.caseId);
  return c !== null && canView(actor, c);
}

export async function listTasksFor(s: Services, actor: Actor, filter: { status?: TaskStatus; limit: number }): Promise<TaskJson[]> {
  const tasks = await s.store.listTasks({ ...(filter.status ? { status: filter.status } : {}), limit: actor.role === 'agent' ? 500 : filter.limit });
  const out: TaskJson[] = [];
  for (const t of tasks) {
    if (out.length >= filter.limit) break;
    if (await visible(s, actor, t)) out.push(taskJson(t));
  }
  return out;
}

export async function completeTask(s: Services, actor: Actor, id: string): Promise<TaskJson> {
  const t = await s.store.getTask(id);
  if (!t) throw notFound('task_not_found', `task ${id} not found`);
  if (!(await visible(s, actor, t))) throw forbidden('not_your_task', 'this task belongs to another agent');
  if (t.status === 'done') throw conflict('task_done', 'this task is already done');
  const updated = await s.store.updateTask(id, { status: 'done', doneBy: actor.id, doneAt: new Date(s.clock.now()).toISOString() });
  if (!updated) throw notFound('task_not_found', `task ${id} not found`);
  if (t.caseId) await s.store.addCaseEvent({ caseId: t.caseId, type: 'task_done', actor: actor.id, data: { taskId: t.id, kind: t.kind } });
  return taskJson(updated);
}
