/** Improvement items in the CSV export and the weekly digest: every open or done item, with its effect. */
import { pct, toCsv } from '../analytics/csv.js';
import type { Labels } from '../analytics/labels.js';
import type { Store } from '../store/types.js';
import { viewItems, type ItemView } from './view.js';

/** The digest lists at most this many items; the CSV has them all. */
const DIGEST_ITEMS = 10;

export function improvementsCsv(labels: Labels, items: ItemView[]): string {
  const t = (k: string): string => labels.text(`improve.csv.${k}`);
  const header = ['dimension', 'name', 'cause', 'owner', 'action', 'due', 'status', 'overdue', 'opened', 'done', 'linked', 'before_rate', 'after_rate', 'effect'].map(t);
  return toCsv(
    header,
    items.map((i) => [
      i.dimensionLabel,
      i.name,
      i.causeLabel,
      i.ownerName,
      i.action,
      i.dueDate,
      i.statusLabel,
      labels.text(i.overdue ? 'improve.yes' : 'improve.no'),
      i.createdAt,
      i.doneAt,
      i.linkedCases,
      pct(i.effect?.before.rate ?? null),
      pct(i.effect?.after?.rate ?? null),
      i.effect?.text ?? labels.text('improve.effect.pending'),
    ]),
  );
}

export interface DigestPart {
  lines: string[];
  items: ItemView[];
}

/** Open and done (awaiting a manager) items for the weekly digest, overdue first. */
export async function improvementDigest(store: Store, labels: Labels, now: number): Promise<DigestPart> {
  const [open, done] = await Promise.all([store.listImprovements({ status: 'open', limit: 200 }), store.listImprovements({ status: 'done', limit: 200 })]);
  const items = await viewItems(store, labels, [...open, ...done], now);
  items.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueDate.localeCompare(b.dueDate));
  if (items.length === 0) return { lines: [labels.text('improve.digest.none')], items };
  const lines = [
    labels.text('improve.digest.open', { open: open.length, overdue: items.filter((i) => i.overdue).length, done: done.length }),
    ...items.slice(0, DIGEST_ITEMS).map((i) =>
      labels.text('improve.digest.item', {
        dimension: i.dimensionLabel,
        name: i.name,
        cause: i.causeLabel,
        owner: i.ownerName,
        status: i.overdue ? labels.text('improve.overdue') : i.statusLabel,
        effect: i.effect?.text ?? labels.text('improve.effect.pending'),
      }),
    ),
  ];
  return { lines, items };
}
