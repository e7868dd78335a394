/**
 * The application (harness, web role: no workers touching the seeded cases) with the console and dashboard
 * routes the composition root registers. The clock is fixed, so "the last 30 days" is the same for the seed
 * and for the page.
 */
import { createSession } from '../../src/console/sessions.js';
import { hashPassword } from '../../src/console/passwords.js';
import type { Clock } from '../../src/core/clock.js';
import type { Case } from '../../src/core/types.js';
import type { ConsoleUser, Role } from '../../src/store/types.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { seedDemo } from './rig.js';

export const API_TOKEN = 'analytics-test-token-0123456789';
export const PASSWORD = 'dashboard password 1';
/** Wednesday 2026-03-18 12:00 in China. */
export const NOW = Date.parse('2026-03-18T04:00:00.000Z');

export interface DashboardApp {
  h: Harness;
  url: string;
  cases: Case[];
  user(role: Role, username?: string): Promise<ConsoleUser>;
  /** A session cookie (`asa_session=…`) for a new user of that role. */
  cookie(role: Role): Promise<string>;
  stop(): Promise<void>;
}

/** `clock` replaces the fixed one for tests that move time on (the seed is still written as of NOW). */
export async function startDashboardApp(opts: { cases?: number; clock?: Clock } = {}): Promise<DashboardApp> {
  const h = await startHarness({ role: 'web', clock: opts.clock ?? { now: () => NOW }, env: { API_TOKEN } });
  const url = h.baseUrl;
  const { cases } = await seedDemo(h.services.store, { now: NOW, cases: opts.cases ?? 600 });
  let n = 0;
  const user = async (role: Role, username?: string): Promise<ConsoleUser> => {
    n += 1;
    return h.services.store.createUser({ username: username ?? `${role}${n}`, displayName: `${role} ${n}`, role, passwordHash: await hashPassword(PASSWORD) });
  };
  return {
    h,
    url,
    cases,
    user,
    async cookie(role) {
      const { id } = await createSession(h.services, (await user(role)).id);
      return `asa_session=${id}`;
    },
    stop: () => h.stop(),
  };
}
