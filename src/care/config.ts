/**
 * `config/care.json`: proactive logistics care (how long a parcel may sit without a logistics update, when many
 * stuck parcels of one carrier become one incident) and surge mode (how far above the usual inbound rate a
 * livestream peak starts, when it ends). Validated once; a mistake stops start-up with one line naming the field.
 * Durations are divided by TIME_SCALE where they are used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../paths.js';

const schema = z.object({
  schemaVersion: z.literal(1),
  logistics: z.object({
    enabled: z.boolean(),
    /** A shipped parcel with no logistics push for this long gets a care message. */
    staleHours: z.number().positive().max(30 * 24),
    /** Stuck parcels of one carrier within this many hours are counted together… */
    incidentWindowHours: z.number().positive().max(7 * 24),
    /** …and from this many on they are one incident (one alert). */
    incidentMinParcels: z.number().int().min(2).max(10_000),
  }).strict(),
  surge: z.object({
    enabled: z.boolean(),
    /** A minute with this many times the usual rate (or the floor below, whichever is higher) starts a surge. */
    multiple: z.number().min(1.5).max(100),
    /** Floor of the usual rate, so a handful of messages on a quiet night is never a surge. */
    minPerMinute: z.number().int().min(1).max(100_000),
    /** The usual rate: the mean per minute over this many minutes before the current one. */
    trailingMinutes: z.number().int().min(5).max(24 * 60),
    /** The surge ends by itself after this many minutes without a minute over the threshold. */
    quietMinutes: z.number().int().min(1).max(24 * 60),
  }).strict(),
}).strict();

export type CareConfig = z.infer<typeof schema>;
export type SurgeConfig = CareConfig['surge'];
export type LogisticsCareConfig = CareConfig['logistics'];

export function parseCareConfig(raw: unknown, source = 'config/care.json'): CareConfig {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

let cached: CareConfig | null = null;

/** Read once per process (worker start), so a broken file stops start-up rather than a timer. */
export function loadCareConfig(): CareConfig {
  if (cached) return cached;
  const file = path.join(projectRoot, 'config/care.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`config/care.json: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return (cached = parseCareConfig(raw));
}
