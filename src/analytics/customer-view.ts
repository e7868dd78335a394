/**
 * Customer view: one buyer's cases across channels, so nobody asks twice. A buyer is known by a channel user
 * id; their cases name order ids, and cases on other channels (or under other ids) that name the same order
 * are the same buyer. One hop is followed — the order's other identities and all of their cases — which joins
 * a Douyin DM and a WeCom chat about one parcel without chaining unrelated people through shared orders.
 * Only orders 抖店 confirmed (the intake's order check found them: `data.order.verified`) link identities: a
 * number a stranger types never joins them to someone else's cases.
 */
import { maskText } from '../core/mask.js';
import type { Case, CaseCategory, CaseStatus, Channel, Csat, Resolution } from '../core/types.js';
import type { Store } from '../store/types.js';
import type { Labels } from './labels.js';

const MAX_ORDERS = 50;
const MAX_IDENTITIES = 20;

export interface Identity {
  channel: Channel;
  channelLabel: string;
  /** The platform user id, named as Case.customerId is in the case API. */
  customerId: string;
  /** Order ids that tie this identity to the buyer; empty for the identity asked about. */
  linkedBy: string[];
}

export interface CustomerCase {
  id: string;
  channel: Channel;
  channelLabel: string;
  customerId: string;
  orderId: string | null;
  product: string | null;
  category: CaseCategory | null;
  categoryLabel: string;
  status: CaseStatus;
  resolution: Resolution | null;
  csat: Csat | null;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerView {
  channel: Channel;
  customerId: string;
  identities: Identity[];
  orders: string[];
  cases: CustomerCase[];
}

const identityKey = (channel: Channel, platformUserId: string): string => `${channel}\u0000${platformUserId}`;

export async function customerView(store: Store, labels: Labels, who: { channel: Channel; platformUserId: string }): Promise<CustomerView> {
  const found = new Map<string, Case>();
  const add = (cs: Case[]): void => {
    for (const c of cs) found.set(c.id, c);
  };
  add(await casesOf(store, who.channel, who.platformUserId));

  const orders = [...new Set([...found.values()].map(confirmedOrder).filter((o): o is string => !!o))].slice(0, MAX_ORDERS);
  const identities = new Map<string, Identity>();
  identities.set(identityKey(who.channel, who.platformUserId), {
    channel: who.channel,
    channelLabel: labels.channel(who.channel),
    customerId: who.platformUserId,
    linkedBy: [],
  });
  for (const orderId of orders) {
    const sharing = (await store.listCases({ orderId, limit: 200 })).items.filter((c) => confirmedOrder(c) === orderId);
    add(sharing);
    for (const c of sharing) {
      const k = identityKey(c.channel, c.customerId);
      const known = identities.get(k);
      if (known) {
        if (known.linkedBy.length > 0 && !known.linkedBy.includes(orderId)) known.linkedBy.push(orderId);
      } else if (identities.size <= MAX_IDENTITIES) {
        identities.set(k, { channel: c.channel, channelLabel: labels.channel(c.channel), customerId: c.customerId, linkedBy: [orderId] });
      }
    }
  }
  for (const id of identities.values()) {
    if (id.linkedBy.length === 0) continue;
    add(await casesOf(store, id.channel, id.customerId));
  }

  const cases = [...found.values()]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
    .map((c) => summary(c, labels));
  return { channel: who.channel, customerId: who.platformUserId, identities: [...identities.values()], orders, cases };
}

/** The case's order id when 抖店 confirmed it for this case; null for a number only typed. */
export function confirmedOrder(c: Case): string | null {
  const order = c.data.order as { orderId?: unknown; verified?: unknown } | null | undefined;
  return c.orderId && order?.verified === true && order.orderId === c.orderId ? c.orderId : null;
}

/**
 * One identity's cases. Filtered by customer id alone, then by channel here: with both filters SQLite picks the
 * channel index and walks every case of the channel (40 ms at 100 000 cases instead of under 1 ms).
 */
async function casesOf(store: Store, channel: Channel, platformUserId: string): Promise<Case[]> {
  return (await store.listCases({ customerId: platformUserId, limit: 200 })).items.filter((c) => c.channel === channel);
}

function summary(c: Case, labels: Labels): CustomerCase {
  const order = (c.data.order ?? {}) as { productName?: unknown };
  return {
    id: c.id,
    channel: c.channel,
    channelLabel: labels.channel(c.channel),
    customerId: c.customerId,
    orderId: c.orderId,
    product: typeof order.productName === 'string' ? order.productName : null,
    category: c.category,
    categoryLabel: labels.category(c.category),
    status: c.status,
    resolution: c.resolution,
    csat: c.csat,
    description: maskText(c.description ?? ''),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
