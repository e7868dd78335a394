/** The supervisor's view of the team: each person's open load against capacity, presence and skills, and the queue. */
import { agentLoads, waitingCases, waitingSince } from '../handoff/assign.js';
import type { Services } from '../services.js';
import { userJson, type UserJson } from './views.js';

export interface TeamView {
  members: (UserJson & { load: number })[];
  queue: { waiting: number; byPriority: Record<'1' | '2' | '3', number>; oldestSince: string | null };
}

export async function teamView(s: Services): Promise<TeamView> {
  const [loads, waiting] = await Promise.all([agentLoads(s), waitingCases(s)]);
  const byPriority: TeamView['queue']['byPriority'] = { '1': 0, '2': 0, '3': 0 };
  for (const c of waiting) byPriority[String(c.priority) as '1' | '2' | '3'] += 1;
  const oldest = waiting.map(waitingSince).sort()[0] ?? null;
  return {
    members: loads
      .map((l) => ({ ...userJson(l.user), load: l.load }))
      .sort((a, b) => Number(b.online) - Number(a.online) || a.displayName.localeCompare(b.displayName, 'zh-CN')),
    queue: { waiting: waiting.length, byPriority, oldestSince: oldest },
  };
}
