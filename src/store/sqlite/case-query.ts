/** SQL for one page of `listCases`: filters, then keyset paging on (created_at desc, id desc). */
import { CASE_PAGE_DEFAULT, CASE_PAGE_MAX, clampLimit, decodeCaseCursor } from '../paging.js';
import type { CaseFilter } from '../types.js';
import type { SqlValue } from './rows.js';

export interface CasePageQuery {
  sql: string;
  params: SqlValue[];
  limit: number;
}

export function casePageQuery(filter: CaseFilter): CasePageQuery {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const eq = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };

  if (filter.status !== undefined) {
    const statuses = Array.isArray(filter.status) ? filter.status : [filter.status];
    // An empty list matches nothing, as `IN ()` would if SQLite allowed it.
    if (statuses.length === 0) where.push('0');
    else {
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
  }
  eq('channel', filter.channel);
  eq('customer_id', filter.customerId);
  eq('conversation_id', filter.conversationId);
  eq('category', filter.category);
  eq('assignee', filter.assignee);
  eq('order_id', filter.orderId);
  if (filter.priority !== undefined) {
    where.push('priority = ?');
    params.push(filter.priority);
  }
  if (filter.idPrefix !== undefined) {
    // Ids are lower-case UUIDs; anything else cannot match (and must not reach LIKE as a pattern).
    if (!/^[0-9a-f-]{1,36}$/.test(filter.idPrefix)) where.push('0');
    else {
      where.push('substr(id, 1, ?) = ?');
      params.push(filter.idPrefix.length, filter.idPrefix);
    }
  }

  if (filter.cursor !== undefined) {
    const c = decodeCaseCursor(filter.cursor);
    where.push('(created_at < ? OR (created_at = ? AND id < ?))');
    params.push(c.createdAt, c.createdAt, c.id);
  }

  const limit = clampLimit(filter.limit, CASE_PAGE_DEFAULT, CASE_PAGE_MAX);
  // One row more than the page tells whether another page exists.
  params.push(limit + 1);
  const sql =
    'SELECT * FROM cases' +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ' ORDER BY created_at DESC, id DESC LIMIT ?';
  return { sql, params, limit };
}
