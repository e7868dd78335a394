/** One page of `listCases` on MongoDB: filters, then keyset paging on (createdAt desc, _id desc). */
import mongoose from 'mongoose';
import type { Model } from 'mongoose';
import type { Case } from '../../core/types.js';
import { CASE_PAGE_DEFAULT, CASE_PAGE_MAX, clampLimit, decodeCaseCursor, encodeCaseCursor } from '../paging.js';
import type { CaseFilter, Page } from '../types.js';
import { fromDoc } from './models.js';
import type { CaseDoc } from './models.js';

export async function casePage(cases: Model<CaseDoc>, filter: CaseFilter): Promise<Page<Case>> {
  // Operators we write ourselves are marked trusted; the connection's sanitizeFilter neutralises any others.
  const query: Record<string, unknown> = {};
  if (filter.status !== undefined) {
    query.status = mongoose.trusted({ $in: Array.isArray(filter.status) ? filter.status : [filter.status] });
  }
  const equal: [string, string | undefined][] = [
    ['channel', filter.channel],
    ['customerId', filter.customerId],
    ['conversationId', filter.conversationId],
    ['category', filter.category],
    ['assignee', filter.assignee],
    ['orderId', filter.orderId],
  ];
  for (const [field, value] of equal) if (value !== undefined) query[field] = value;
  if (filter.priority !== undefined) query.priority = filter.priority;
  if (filter.idPrefix !== undefined) {
    // Ids are lower-case UUIDs; anything else matches nothing (and never reaches the regex unescaped).
    query._id = /^[0-9a-f-]{1,36}$/.test(filter.idPrefix) ? mongoose.trusted({ $regex: `^${filter.idPrefix}` }) : mongoose.trusted({ $in: [] });
  }
  if (filter.cursor !== undefined) {
    const c = decodeCaseCursor(filter.cursor);
    query.$or = [
      { createdAt: mongoose.trusted({ $lt: c.createdAt }) },
      { createdAt: c.createdAt, _id: mongoose.trusted({ $lt: c.id }) },
    ];
  }

  const limit = clampLimit(filter.limit, CASE_PAGE_DEFAULT, CASE_PAGE_MAX);
  // One document more than the page tells whether another page exists.
  const docs = await cases
    .find(query)
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit + 1)
    .lean<CaseDoc[]>();
  const items = docs.slice(0, limit).map((d) => fromDoc(d));
  const last = items[items.length - 1];
  return { items, nextCursor: docs.length > limit && last ? encodeCaseCursor(last) : null };
}
