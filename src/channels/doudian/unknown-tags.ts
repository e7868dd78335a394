/**
 * Pushes whose tag we do not know (抖店 adds message types over time) are kept, never dropped: per tag, how
 * many arrived, when, and the last one's scalar fields without personal data, under `doudian:unknown-tag:<tag>`.
 * An in-range one (1xx, 2xx) is also applied to its order or case; this record is what tells an operator the
 * tag exists and needs a meaning.
 */
import type { Services } from '../../services.js';
import { keepFields, type Scalar } from './order-events.js';

type Deps = Pick<Services, 'store' | 'log' | 'clock'>;

export interface UnknownTagRecord {
  tag: string;
  count: number;
  firstAt: string;
  lastAt: string;
  lastMsgId: string;
  lastData: Record<string, Scalar>;
}

export const unknownTagKey = (tag: string): string => `doudian:unknown-tag:${tag}`;

export async function readUnknownTag(store: Services['store'], tag: string): Promise<UnknownTagRecord | null> {
  const raw = await store.getSetting(unknownTagKey(tag));
  return raw ? (JSON.parse(raw) as UnknownTagRecord) : null;
}

export async function recordUnknownTag(s: Deps, push: { msgId: string; tag: string; data: Record<string, unknown> }): Promise<void> {
  const prev = await readUnknownTag(s.store, push.tag);
  // A re-run of the same job (at-least-once) must not count twice.
  if (prev?.lastMsgId === push.msgId) return;
  const at = new Date(s.clock.now()).toISOString();
  const next: UnknownTagRecord = {
    tag: push.tag,
    count: (prev?.count ?? 0) + 1,
    firstAt: prev?.firstAt ?? at,
    lastAt: at,
    lastMsgId: push.msgId,
    lastData: keepFields(push.data),
  };
  await s.store.setSetting(unknownTagKey(push.tag), JSON.stringify(next));
  s.log.warn({ doudianTag: push.tag, count: next.count }, 'doudian push with an unknown tag recorded');
}
