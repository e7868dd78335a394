/** An improvement item as the console, the dashboard, the CSV and the digest show it: Chinese labels, owner name, overdue, linked case count and effect. */
import type { Labels } from '../analytics/labels.js';
import { localDay } from '../analytics/period.js';
import type { ConsoleUser, ImprovementItem, Store } from '../store/types.js';
import { measureEffect, type Effect } from './effect.js';
import { countLinked } from './linked.js';
import { dimensionName } from './overdue.js';

export interface ItemView extends ImprovementItem {
  dimensionLabel: string;
  name: string;
  causeLabel: string;
  statusLabel: string;
  sourceLabel: string;
  ownerName: string;
  overdue: boolean;
  linkedCases: number;
  effect: Effect | null;
}

export const isOverdue = (item: Pick<ImprovementItem, 'status' | 'dueDate'>, now: number): boolean => item.status === 'open' && localDay(now) > item.dueDate;

export async function viewItems(store: Store, labels: Labels, items: ImprovementItem[], now: number): Promise<ItemView[]> {
  const users = new Map<string, ConsoleUser>((await store.listUsers()).map((u) => [u.id, u]));
  const out: ItemView[] = [];
  for (const item of items) {
    const { dimension, name } = dimensionName(labels, item);
    out.push({
      ...item,
      dimensionLabel: dimension,
      name,
      causeLabel: labels.text(`improve.cause.${item.cause}`),
      statusLabel: labels.text(`improve.status.${item.status}`),
      sourceLabel: labels.text(`improve.source.${item.source}`),
      ownerName: users.get(item.ownerId)?.displayName ?? labels.text('value.none'),
      overdue: isOverdue(item, now),
      linkedCases: await countLinked(store, item, now),
      effect: await measureEffect(store, labels, item, now),
    });
  }
  return out;
}
