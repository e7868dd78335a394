/**
 * Console search (`POST /api/search`): one box for a case reference, an order number, a phone number or the
 * customer's channel id, narrowed by status, channel, category and priority, newest first. The term comes in
 * the request body, not the URL, so a phone number never lands in access logs or browser history; it is never
 * logged here either. Phone numbers are not stored apart from the shopper's own messages, so a phone is found
 * in what the shopper wrote (store.findConversationsByDigits), however they spaced it.
 */
import { z } from 'zod';
import { CASE_CATEGORIES, CHANNELS, type Case, type CaseCategory, type CaseStatus, type Channel, type Priority } from '../core/types.js';
import { canView, type Actor } from '../handoff/actions.js';
import type { Services } from '../services.js';
import type { CaseFilter } from '../store/types.js';
import { inboxEntries, type InboxEntry } from './inbox.js';

const STATUSES: readonly CaseStatus[] = ['collecting', 'open', 'escalated', 'assigned', 'resolved', 'closed'];
export const SEARCH_LIMIT = 50;
/** Pages read per key before giving up on filling the result (agents see only part of each page). */
const MAX_PAGES = 10;

export const searchSchema = z
  .object({
    q: z.string().trim().max(64, 'q must be at most 64 characters').optional(),
    status: z.array(z.enum(STATUSES as [CaseStatus, ...CaseStatus[]])).max(STATUSES.length).optional(),
    channel: z.enum(CHANNELS as [Channel, ...Channel[]]).optional(),
    category: z.enum(CASE_CATEGORIES as [CaseCategory, ...CaseCategory[]]).optional(),
    priority: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
  })
  .strict();

export type SearchQuery = z.infer<typeof searchSchema>;

const REF = /^[0-9a-f]{8}$/i;
/** A mainland mobile number, optionally +86 and spaced or dashed: 11 digits starting 13–19. */
const PHONE = /^(?:\+?86)?(1[3-9]\d{9})$/;

/** The store filters one search term stands for; several may apply (8 digits are a reference and an order number). */
export function termFilters(q: string): { filters: CaseFilter[]; phone: string | null } {
  const filters: CaseFilter[] = [];
  const compact = q.replace(/[\s\u3000-]/g, '');
  const phone = PHONE.exec(compact)?.[1] ?? null;
  if (REF.test(q)) filters.push({ idPrefix: q.toLowerCase() });
  if (!phone) {
    filters.push({ orderId: q }, { customerId: q });
    if (compact !== q && /^\d+$/.test(compact)) filters.push({ orderId: compact });
  }
  return { filters, phone };
}

async function collect(s: Pick<Services, 'store'>, actor: Actor, filter: CaseFilter, into: Map<string, Case>): Promise<void> {
  let cursor: string | null = null;
  let found = 0;
  for (let i = 0; i < MAX_PAGES && found < SEARCH_LIMIT; i++) {
    const page = await s.store.listCases({ ...filter, limit: SEARCH_LIMIT, ...(cursor ? { cursor } : {}) });
    for (const c of page.items) {
      if (!canView(actor, c)) continue;
      into.set(c.id, c);
      found += 1;
    }
    cursor = page.nextCursor;
    if (!cursor) break;
  }
}

export async function searchCases(s: Services, actor: Actor, q: SearchQuery): Promise<InboxEntry[]> {
  const narrow: CaseFilter = {
    ...(q.status?.length ? { status: q.status } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(q.priority ? { priority: q.priority as Priority } : {}),
  };
  const found = new Map<string, Case>();
  if (!q.q) {
    await collect(s, actor, narrow, found);
  } else {
    const { filters, phone } = termFilters(q.q);
    if (phone) {
      for (const conversationId of await s.store.findConversationsByDigits(phone, SEARCH_LIMIT)) filters.push({ conversationId });
    }
    for (const f of filters) await collect(s, actor, { ...narrow, ...f }, found);
  }
  const newest = [...found.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).slice(0, SEARCH_LIMIT);
  const names = new Map((await s.store.listUsers()).map((u) => [u.id, u.displayName]));
  return inboxEntries(s, actor, newest, names, s.clock.now());
}
