/**
 * `GET /api/cases`: the store's newest-first pages, narrowed for agents to what they may see (the queue and
 * their own cases). Each underlying page is consumed whole, so the returned cursor never skips a case.
 */
import { z } from 'zod';
import { CASE_CATEGORIES, CHANNELS, type Case, type CaseCategory, type CaseStatus, type Priority } from '../core/types.js';
import { STATUSES } from '../core/lifecycle.js';
import { canView, type Actor } from '../handoff/actions.js';
import type { Services } from '../services.js';
import type { CaseFilter, Page } from '../store/types.js';

const MAX_PAGES = 20;

const one = (v: unknown): unknown => (Array.isArray(v) ? v[v.length - 1] : v === '' ? undefined : v);

export const caseQuerySchema = z
  .object({
    status: z.preprocess(
      one,
      z
        .string()
        .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
        .pipe(z.array(z.enum(STATUSES as [CaseStatus, ...CaseStatus[]], { message: `status must be one of ${STATUSES.join(', ')}` })).min(1))
        .optional(),
    ),
    channel: z.preprocess(one, z.enum(CHANNELS as [string, ...string[]], { message: `channel must be one of ${CHANNELS.join(', ')}` }).optional()),
    customerId: z.preprocess(one, z.string().min(1).max(128).optional()),
    category: z.preprocess(one, z.enum(CASE_CATEGORIES as [CaseCategory, ...CaseCategory[]], { message: `category must be one of ${CASE_CATEGORIES.join(', ')}` }).optional()),
    priority: z.preprocess(one, z.enum(['1', '2', '3'], { message: 'priority must be 1, 2 or 3' }).transform((v) => Number(v) as Priority).optional()),
    limit: z.preprocess(one, z.coerce.number({ message: 'limit must be a number' }).int('limit must be a whole number').min(1, 'limit must be 1-200').max(200, 'limit must be 1-200').optional()),
    cursor: z.preprocess(one, z.string().min(1).max(1000).optional()),
  })
  .strict();

export type CaseQuery = z.infer<typeof caseQuerySchema>;

export async function listCasesFor(s: Pick<Services, 'store'>, actor: Actor, q: CaseQuery): Promise<Page<Case>> {
  const base: CaseFilter = {
    ...(q.status ? { status: q.status.length === 1 ? (q.status[0] as CaseStatus) : q.status } : {}),
    ...(q.channel ? { channel: q.channel as Case['channel'] } : {}),
    ...(q.customerId ? { customerId: q.customerId } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(q.priority ? { priority: q.priority } : {}),
  };
  const limit = q.limit ?? 50;
  if (actor.role !== 'agent') return s.store.listCases({ ...base, limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
  const items: Case[] = [];
  let cursor: string | null = q.cursor ?? null;
  for (let i = 0; i < MAX_PAGES && items.length < limit; i++) {
    const page = await s.store.listCases({ ...base, limit: limit - items.length, ...(cursor ? { cursor } : {}) });
    items.push(...page.items.filter((c) => canView(actor, c)));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { items, nextCursor: cursor };
}
