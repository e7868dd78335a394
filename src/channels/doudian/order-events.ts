/**
 * Order pushes (100–106; the dialogue mainly needs 102 shipped and 104 logistics changed): the latest of
 * each tag per parent order is kept in settings under `doudian:order:<p_id>` for the dialogue to read.
 */
import type { Services } from '../../services.js';
import { idField } from './after-sale.js';
import { tagName } from './tags.js';

type Deps = Pick<Services, 'store' | 'log' | 'clock'>;
type Scalar = string | number | boolean;

export interface OrderEventRecord {
  at: string;
  msgId: string;
  tagName: string;
  data: Record<string, Scalar>;
}

export interface OrderEvents {
  orderId: string;
  latestTag: string;
  updatedAt: string;
  /** Latest push per tag. */
  events: Record<string, OrderEventRecord>;
}

export const orderSettingKey = (orderId: string): string => `doudian:order:${orderId}`;

/** Receiver details stay out of our copy (they are encrypted or masked anyway); only scalars are kept. */
const PII = /receiver|tel|mobile|phone|addr|post_name|buyer_words|encrypt/i;
const MAX_FIELDS = 30;

function keepFields(data: Record<string, unknown>): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [k, v] of Object.entries(data)) {
    if (Object.keys(out).length >= MAX_FIELDS) break;
    if (PII.test(k)) continue;
    if (typeof v === 'string') out[k] = v.slice(0, 200);
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) out[k] = v.join(',').slice(0, 200);
  }
  return out;
}

/** Reads what the dialogue needs about an order's shipping; null when no push was seen for it. */
export async function readOrderEvents(store: Services['store'], orderId: string): Promise<OrderEvents | null> {
  const raw = await store.getSetting(orderSettingKey(orderId));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as OrderEvents;
  } catch {
    return null;
  }
}

export async function applyOrderPush(s: Deps, push: { msgId: string; tag: string; data: Record<string, unknown> }): Promise<void> {
  const orderId = idField(push.data, 'p_id') ?? idField(push.data, 'order_id');
  if (!orderId) {
    s.log.warn({ doudianTag: push.tag }, 'order push without p_id; recorded in the log only');
    return;
  }
  const at = new Date(s.clock.now()).toISOString();
  const prev = await readOrderEvents(s.store, orderId);
  // Concurrent pushes for one order may race on this read-modify-write; the newest write wins, which is
  // acceptable for a "latest status" hint that the dialogue confirms with order.orderDetail.
  const next: OrderEvents = {
    orderId,
    latestTag: push.tag,
    updatedAt: at,
    events: {
      ...(prev?.events ?? {}),
      [push.tag]: { at, msgId: push.msgId, tagName: tagName(push.tag), data: keepFields(push.data) },
    },
  };
  await s.store.setSetting(orderSettingKey(orderId), JSON.stringify(next));
}
