/**
 * What the console shows of surge mode: the surge right now (read without counting anything) and the manager's
 * up-front answer. GET /api/surge returns it; the console's event stream hints `surge` when it changes.
 */
import { loadCareConfig } from '../care/config.js';
import type { Services } from '../services.js';
import { readSurgeAnswer } from './answer.js';
import { surgeStatus, type SurgeStatus } from './state.js';

export interface SurgeView extends SurgeStatus {
  answer: string | null;
}

export async function surgeView(s: Pick<Services, 'redis' | 'config' | 'clock' | 'store'>): Promise<SurgeView> {
  const [status, answer] = await Promise.all([surgeStatus(s, loadCareConfig().surge), readSurgeAnswer(s.store)]);
  return { ...status, answer };
}
