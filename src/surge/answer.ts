/**
 * The one field a manager sets for a livestream: the answer to the question everyone asks at the peak (usually
 * when the live's orders ship). Kept in the store's settings; an empty text clears it.
 */
import { z } from 'zod';
import type { Store } from '../store/types.js';

const SETTING = 'surge:answer';
export const SURGE_ANSWER_MAX = 300;

export const surgeAnswerSchema = z
  .object({ text: z.string().trim().max(SURGE_ANSWER_MAX, `at most ${SURGE_ANSWER_MAX} characters`) })
  .strict();

export async function readSurgeAnswer(store: Pick<Store, 'getSetting'>): Promise<string | null> {
  const raw = await store.getSetting(SETTING);
  return raw ? raw : null;
}

export async function writeSurgeAnswer(store: Pick<Store, 'setSetting'>, text: string): Promise<string | null> {
  await store.setSetting(SETTING, text);
  return text || null;
}
