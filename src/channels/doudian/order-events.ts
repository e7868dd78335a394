/**
 * Order pushes (1xx; the dialogue mainly needs 102 shipped, 108 partly shipped and 104 logistics changed): the
 * latest of each tag per parent order is kept in settings under `doudian:order:<p_id>` for the dialogue to read,
 * with the latest shipment (carrier + tracking number) on its own.
 */
import { watchShipment } from '../../care/watch.js';
import { PlatformError } from '../../core/errors.js';
import type { Services } from '../../services.js';
import { idField } from './after-sale.js';
import type { DoudianClient } from './client.js';
import { isRecord } from './json.js';
import { SHIPMENT_TAGS, tagName } from './tags.js';

/** Finds the carrier's name of a shipment; null when 抖店 does not say. */
export type CarrierLookup = (orderId: string, trackingNo: string) => Promise<string | null>;

type Deps = Pick<Services, 'store' | 'log' | 'clock' | 'queues' | 'config' | 'data'> & { carriers?: CarrierLookup | null };
export type Scalar = string | number | boolean;

export interface OrderEventRecord {
  at: string;
  msgId: string;
  tagName: string;
  data: Record<string, Scalar>;
}

export interface Shipment {
  trackingNo: string;
  /** Carrier name from order.orderDetail's logistics_info (company_name); null until known. */
  carrier: string | null;
  /** 抖店's own carrier id from the push, kept for the agent. */
  expressCompanyId: string | null;
  msgId: string;
  at: string;
}

export interface OrderEvents {
  orderId: string;
  latestTag: string;
  updatedAt: string;
  /** Latest push per tag. */
  events: Record<string, OrderEventRecord>;
  /** Latest shipment pushed for the order (absent before the first 102/104/108). */
  shipment?: Shipment;
}

export const orderSettingKey = (orderId: string): string => `doudian:order:${orderId}`;

/** Receiver details and free-text remarks stay out of our copy (they may hold a name, phone or address). */
const PII = /receiver|tel|mobile|phone|addr|post_name|buyer_words|remark|encrypt/i;
const MAX_FIELDS = 30;

export function keepFields(data: Record<string, unknown>): Record<string, Scalar> {
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

/**
 * The tracking number of a shipment push is nested: `logistics_msg: {express_company_id, logistics_code}`
 * (official Go SDK, zsmhub/doudian-sdk message/卖家发货消息.go, 卖家部分发货消息.go, 发货物流信息变更消息.go).
 */
function shipmentOf(data: Record<string, unknown>): { trackingNo: string; expressCompanyId: string | null } | null {
  const msg = isRecord(data.logistics_msg) ? data.logistics_msg : null;
  const trackingNo = msg ? idField(msg, 'logistics_code') : null;
  return msg && trackingNo ? { trackingNo, expressCompanyId: idField(msg, 'express_company_id') } : null;
}

/** Carrier names from order.orderDetail: the logistics_info entry with this tracking number. */
export function carrierLookup(client: Pick<DoudianClient, 'orderDetail'>): CarrierLookup {
  return async (orderId, trackingNo) => {
    const order = await client.orderDetail(orderId);
    return order.logistics.find((l) => l.trackingNo === trackingNo)?.company ?? null;
  };
}

export async function applyOrderPush(s: Deps, push: { msgId: string; tag: string; data: Record<string, unknown> }): Promise<void> {
  const orderId = idField(push.data, 'p_id') ?? idField(push.data, 'order_id');
  if (!orderId) {
    s.log.warn({ doudianTag: push.tag }, 'order push without p_id; recorded in the log only');
    return;
  }
  const at = new Date(s.clock.now()).toISOString();
  const prev = await readOrderEvents(s.store, orderId);
  const pushed = SHIPMENT_TAGS.has(push.tag) ? shipmentOf(push.data) : null;
  const known = prev?.shipment?.trackingNo === pushed?.trackingNo ? prev?.shipment?.carrier ?? null : null;
  const shipment: Shipment | undefined = pushed ? { ...pushed, carrier: known, msgId: push.msgId, at } : prev?.shipment;
  // Pushes for one order are separate jobs. Between this read and the write below nothing waits on the network,
  // so in one process they do not interleave; across worker processes the newest write wins this short window.
  const next: OrderEvents = {
    orderId,
    latestTag: push.tag,
    updatedAt: at,
    events: {
      ...(prev?.events ?? {}),
      [push.tag]: { at, msgId: push.msgId, tagName: tagName(push.tag), data: keepFields(push.data) },
    },
    ...(shipment ? { shipment } : {}),
  };
  // The tracking number is stored before the carrier look-up, so an unreachable API cannot lose it.
  await s.store.setSetting(orderSettingKey(orderId), JSON.stringify(next));
  // Proactive care: no newer push for this parcel within the configured time means it is stuck (src/care).
  if (pushed) await watchShipment(s, { orderId, msgId: push.msgId });
  if (!pushed || known || !s.carriers) return;
  const carrier = await lookUpCarrier(s, orderId, pushed.trackingNo);
  if (!carrier) return;
  // The look-up is a call to 抖店: pushes applied meanwhile (103 completed right after 102) are read again and
  // kept; only the carrier's name is added to the parcel it belongs to.
  const now = await readOrderEvents(s.store, orderId);
  if (!now?.shipment || now.shipment.trackingNo !== pushed.trackingNo) return;
  await s.store.setSetting(orderSettingKey(orderId), JSON.stringify({ ...now, shipment: { ...now.shipment, carrier } }));
}

/** A refusal will not change on retry (the answer stays without a carrier); a network failure retries the job. */
async function lookUpCarrier(s: Deps, orderId: string, trackingNo: string): Promise<string | null> {
  try {
    return (await s.carriers?.(orderId, trackingNo)) ?? null;
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    s.log.warn({ err: err.message }, 'carrier look-up refused by 抖店; the shipment is kept without a carrier name');
    return null;
  }
}

/** Latest shipment per order, for the orders a dialogue turn may talk about (at most `limit` reads). */
export async function readShipments(
  store: Services['store'],
  orderIds: string[],
  limit = 6,
): Promise<Record<string, Pick<Shipment, 'trackingNo' | 'carrier'>>> {
  const out: Record<string, Pick<Shipment, 'trackingNo' | 'carrier'>> = {};
  for (const id of [...new Set(orderIds)].slice(0, limit)) {
    const shipment = (await readOrderEvents(store, id))?.shipment;
    if (shipment) out[id] = { trackingNo: shipment.trackingNo, carrier: shipment.carrier };
  }
  return out;
}
