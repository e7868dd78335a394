/**
 * What the console shows of surge mode: the surge right now (read without counting anything) and the manager's
 * up-front answer. GET /api/surge returns it; the console's event stream hints `surge` when it changes.
 */
import type { Services } from '../services.js';
import { readSurgeAnswer } from './answer.js';
import { surgeStatus, type SurgeStatus } from './state.js';

export interface SurgeView extends SurgeStatus {
  answer: string | null;
}

export async function surgeView(s: Pick<Services, 'redis' | 'config' | 'clock' | 'store' | 'data'>): Promise<SurgeView> {
  const [status, answer] = await Promise.all([surgeStatus(s, s.data.care.surge), readSurgeAnswer(s.store)]);
  return { ...status, answer };
}
