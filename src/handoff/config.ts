/**
 * `config/handoff.json`: the on-duty roster and the service levels counted in its hours, validated once at
 * start-up (src/operator-data.ts). An invalid file stops start-up with one line naming the field.
 */
import { Info } from 'luxon';
import { z } from 'zod';

const span = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'must look like "09:00-22:00"').refine((s) => {
  const [a, b] = s.split('-') as [string, string];
  return a < b;
}, 'must end after it starts');
const day = z.array(span);

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const schema = z.object({
  timezone: z.string().refine((tz) => Info.isValidIANAZone(tz), 'must be an IANA time zone such as Asia/Shanghai'),
  roster: z.object({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')).default([]),
  sla: z.object({
    firstResponseMinutes: z.number().positive(),
    nextResponseMinutes: z.number().positive(),
    resolutionHours: z.number().positive(),
    maxReassignments: z.number().int().min(0).default(3),
  }),
  /** Cases the bot files wait in the review queue (待审核): a person answers within, and decides within. */
  review: z
    .object({
      firstResponseMinutes: z.number().positive().default(120),
      decisionHours: z.number().positive().default(48),
    })
    .default({ firstResponseMinutes: 120, decisionHours: 48 }),
  assignment: z.object({
    defaultCapacity: z.number().int().min(1).default(5),
    averageHandleMinutes: z.number().positive().default(8),
    /** A shopper writing while nobody has taken the case yet hears their place in the queue at most this often. */
    waitingNoticeMinutes: z.number().positive().default(10),
  }),
});

export type HandoffConfig = z.infer<typeof schema>;

export function parseHandoffConfig(raw: unknown, source = 'config/handoff.json'): HandoffConfig {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || 'file'} ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

/** Every hour of every day: for tests and shops with a 24/7 team. */
export function alwaysOnDuty(base: HandoffConfig): HandoffConfig {
  const all = ['00:00-24:00'];
  return { ...base, roster: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all }, holidays: [] };
}
