/**
 * The customer's other cases, shown beside a case: the same shopper on this channel (their channel user id),
 * and on every channel the cases about the same order (a Douyin chat and a WeCom chat about one order are one
 * buyer). Newest first; only a summary, and `canOpen` says whether the caller may open the case itself.
 */
import type { Case } from '../core/types.js';
import { canView, type Actor } from '../handoff/actions.js';
import { categoryLabel } from '../handoff/assign.js';
import { caseRef } from '../handoff/refs.js';
import type { Services } from '../services.js';

export const RELATED_LIMIT = 20;

export interface RelatedCase {
  id: string;
  ref: string;
  channel: Case['channel'];
  status: Case['status'];
  category: Case['category'];
  categoryLabel: string;
  resolution: Case['resolution'];
  orderId: string | null;
  /** Linked by the same shopper (`customer`) or only by the same order on another account (`order`). */
  via: 'customer' | 'order';
  createdAt: string;
  canOpen: boolean;
}

export async function relatedCases(s: Pick<Services, 'store' | 'data'>, actor: Actor, c: Case): Promise<RelatedCase[]> {
  const [same, byOrder] = await Promise.all([
    s.store.listCases({ customerId: c.customerId, channel: c.channel, limit: RELATED_LIMIT + 1 }),
    c.orderId ? s.store.listCases({ orderId: c.orderId, limit: RELATED_LIMIT + 1 }) : Promise.resolve({ items: [] as Case[] }),
  ]);
  const out = new Map<string, RelatedCase>();
  const add = (k: Case, via: RelatedCase['via']): void => {
    if (k.id === c.id || out.has(k.id)) return;
    out.set(k.id, {
      id: k.id,
      ref: caseRef(k.id),
      channel: k.channel,
      status: k.status,
      category: k.category,
      categoryLabel: categoryLabel(s.data.templates, k.category),
      resolution: k.resolution,
      orderId: k.orderId,
      via,
      createdAt: k.createdAt,
      canOpen: canView(actor, k),
    });
  };
  for (const k of same.items) add(k, 'customer');
  for (const k of byOrder.items) add(k, k.customerId === c.customerId && k.channel === c.channel ? 'customer' : 'order');
  return [...out.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, RELATED_LIMIT);
}
