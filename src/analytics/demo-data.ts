/**
 * Realistic demo data for a livestream shop, as plain objects (no store access): buyers on three channels,
 * their complaints over the last N days with the timestamps the handoff, SLA and survey stages write, a visible
 * spike in the last 7 days (a leaking cup from one supplier, one carrier losing parcels), showcase reviews, and
 * buyers who wrote on two channels about one order. Seeded, so the same options give the same data.
 */
import type { Case, CaseCategory, CaseStatus, Channel, Csat, Resolution, SlaState } from '../core/types.js';
import { DEMO_TEXT, PRODUCTS, type Product } from './demo-texts.js';

export interface DemoCustomer {
  channel: Channel;
  platformUserId: string;
  nickname: string;
  conversationKey: string;
}

export interface DemoCase {
  customer: number;
  /** Everything but conversationId, which exists only once the conversation is stored. */
  case: Omit<Case, 'conversationId'>;
  /** The buyer's own messages, oldest first. */
  messages: { at: number; text: string }[];
}

export interface DemoOptions {
  now: number;
  cases: number;
  days?: number;
  seed?: number;
  /** Console user ids that resolve escalated cases; one placeholder agent when empty. */
  agents?: string[];
}

const H = 3600_000;
const MIN = 60_000;
const DAY = 24 * H;
const CN = 8 * H;

type Rng = () => number;
function rngOf(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(r: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((n, [, w]) => n + w, 0);
  let x = r() * total;
  for (const [v, w] of items) {
    x -= w;
    if (x < 0) return v;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const iso = (ms: number): string => new Date(ms).toISOString();
const fill = (t: string, vars: Record<string, string>): string => t.replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? '');

const CHANNELS: readonly (readonly [Channel, number])[] = [['douyin', 55], ['wecom', 35], ['web', 10]];
const CATEGORIES: readonly (readonly [CaseCategory, number])[] = [
  ['quality', 30], ['logistics', 24], ['no_fault_return', 16], ['wrong_item', 12], ['false_ad', 10], ['service', 8],
];
const CARRIERS: readonly (readonly [string, number])[] = [['中通', 28], ['韵达', 18], ['顺丰', 16], ['圆通', 12], ['极兔', 12], ['申通', 9], ['京东', 5]];
const RESOLUTIONS: Record<CaseCategory, Resolution[]> = {
  quality: ['exchange', 'return_refund', 'compensation', 'repair'],
  logistics: ['reship', 'refund', 'compensation'],
  wrong_item: ['exchange', 'reship'],
  false_ad: ['return_refund', 'compensation', 'refund'],
  service: ['compensation', 'refund'],
  no_fault_return: ['return_refund'],
};
/** Share of cases that reach a person, by category. */
const ESCALATE: Record<CaseCategory, number> = {
  quality: 0.55, logistics: 0.3, wrong_item: 0.4, false_ad: 0.75, service: 0.85, no_fault_return: 0.15,
};

/** Where the spike of the last 7 days comes from. */
export const DEMO_SPIKES = { product: '保温杯', carrier: '圆通' } as const;

const ID_CHARS = [...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789'];
const PRODUCT_WEIGHTS = PRODUCTS.map((p) => [p, p.weight] as const);

/** A version-4-shaped UUID from the seeded generator, so ids look like every other case id. */
function uuidOf(r: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function userId(channel: Channel, r: Rng): string {
  const tail = Array.from({ length: 18 }, () => pick(r, ID_CHARS)).join('');
  return channel === 'wecom' ? `wm${tail}` : channel === 'douyin' ? `_000${tail}` : `v${tail}`;
}

function newCustomer(channel: Channel, r: Rng): DemoCustomer {
  const platformUserId = userId(channel, r);
  const key = channel === 'wecom' ? `wkDEMO0001:${platformUserId}` : platformUserId;
  return { channel, platformUserId, nickname: pick(r, DEMO_TEXT.nicknames), conversationKey: key };
}

/** A local hour of the day, heavier in the evening when the live room runs. */
const localHour = (r: Rng): number => weighted(r, [[9, 3], [10, 5], [11, 5], [12, 4], [13, 4], [14, 5], [15, 5], [16, 5], [17, 5], [18, 6], [19, 8], [20, 11], [21, 12], [22, 10], [23, 5]]);

export function generateDemo(opts: DemoOptions): { customers: DemoCustomer[]; cases: DemoCase[] } {
  const r = rngOf(opts.seed ?? 20240618);
  const days = opts.days ?? 90;
  const agents = opts.agents && opts.agents.length > 0 ? opts.agents : ['agent'];
  const customers: DemoCustomer[] = [];
  const byChannel: Record<Channel, number[]> = { wecom: [], douyin: [], web: [] };
  const addCustomer = (c: DemoCustomer): number => {
    byChannel[c.channel].push(customers.length);
    return customers.push(c) - 1;
  };
  const out: DemoCase[] = [];
  const todayStart = Math.floor((opts.now + CN) / DAY) * DAY - CN;
  // Normal days carry the base load; the spike adds its cases to the last 7 days on top.
  const spikeCases = Math.min(Math.round(opts.cases * 0.03), 400);
  const base = opts.cases - spikeCases;
  const weights = Array.from({ length: days }, (_, d) => {
    const dayMs = todayStart - (days - 1 - d) * DAY;
    const weekday = new Date(dayMs + CN).getUTCDay();
    // Complaints follow the weekend live sessions by a day or two, and the shop grows a little.
    const live = weekday === 0 || weekday === 1 ? 1.35 : weekday === 2 ? 1.15 : 1;
    return live * (0.8 + (0.4 * d) / days);
  });
  const total = weights.reduce((a, b) => a + b, 0);

  const makeCase = (at: number, force: Partial<{ product: Product; carrier: string; category: CaseCategory; channel: Channel }> = {}): void => {
    const channel = force.channel ?? weighted(r, CHANNELS);
    // A returning buyer now and then: the customer view links their cases.
    const known = byChannel[channel];
    const ci = known.length > 20 && r() < 0.12 ? pick(r, known) : addCustomer(newCustomer(channel, r));
    const customer = customers[ci] as DemoCustomer;
    const product = force.product ?? weighted(r, PRODUCT_WEIGHTS);
    const category = force.category ?? weighted(r, CATEGORIES);
    const carrier = force.carrier ?? weighted(r, CARRIERS);
    const orderId = `69${String(Math.floor(r() * 1e17)).padStart(17, '0')}`;
    const built = buildCase({ r, at, now: opts.now, channel, customer, product, category, carrier, orderId, agents });
    out.push({ customer: ci, case: built.c, messages: built.messages });
    // Some buyers also write on a second channel about the same order.
    if (r() < 0.07) {
      const other = weighted(r, CHANNELS.filter(([c]) => c !== channel));
      const twin = addCustomer(newCustomer(other, r));
      const later = Math.min(at + (1 + r() * 30) * H, opts.now - 10 * MIN);
      const again = buildCase({ r, at: later, now: opts.now, channel: other, customer: customers[twin] as DemoCustomer, product, category, carrier, orderId, agents });
      out.push({ customer: twin, case: again.c, messages: again.messages });
    }
  };

  for (let d = 0; d < days; d++) {
    // Second-channel twins add about 7 % on top, so the base load is scaled down to keep the total near `cases`.
    const n = Math.round((base * (weights[d] ?? 1)) / total / 1.07);
    const dayStart = todayStart - (days - 1 - d) * DAY;
    for (let i = 0; i < n; i++) {
      const at = dayStart + localHour(r) * H + Math.floor(r() * H);
      if (at < opts.now - 5 * MIN) makeCase(at);
    }
  }
  const cup = PRODUCTS.find((p) => p.name === DEMO_SPIKES.product) as Product;
  for (let i = 0; i < spikeCases; i++) {
    const at = opts.now - Math.floor(r() * 6.5 * DAY) - 10 * MIN;
    if (i % 2 === 0) makeCase(at, { product: cup, category: 'quality' });
    else makeCase(at, { carrier: DEMO_SPIKES.carrier, category: 'logistics' });
  }
  out.sort((a, b) => (a.case.createdAt < b.case.createdAt ? -1 : a.case.createdAt > b.case.createdAt ? 1 : 0));
  return { customers, cases: out };
}

interface BuildInput {
  r: Rng;
  at: number;
  now: number;
  channel: Channel;
  customer: DemoCustomer;
  product: Product;
  category: CaseCategory;
  carrier: string;
  orderId: string;
  agents: string[];
}

function buildCase(x: BuildInput): { c: Omit<Case, 'conversationId'>; messages: { at: number; text: string }[] } {
  const { r, at, now, category } = x;
  const description = describe(x);
  const escalated = r() < ESCALATE[category];
  const data: Record<string, unknown> = {
    demo: true,
    intakeKey: `demo:${x.orderId}:${x.channel}`,
    order: { orderId: x.orderId, verified: true, signedAt: iso(at - (1 + r() * 4) * DAY), statusDesc: '已签收', productName: x.product.name },
    carrier: x.carrier,
    priorityReasons: [],
  };
  let status: CaseStatus = 'open';
  let assignee: string | null = null;
  let resolvedAt: number | null = null;
  let firstResponseAt: number | null = null;
  let sla: SlaState | null = null;
  const agent = pick(r, x.agents);
  if (escalated) {
    const esc = at + (2 + r() * 8) * MIN;
    data.firstEscalatedAt = iso(esc);
    data.escalatedAt = iso(esc);
    const assigned = esc + (0.5 + r() * (r() < 0.08 ? 60 : 6)) * MIN;
    const responded = assigned + (0.3 + r() * (r() < 0.06 ? 40 : 5)) * MIN;
    sla = { firstResponseDue: iso(esc + 15 * MIN), nextResponseDue: null, resolutionDue: iso(esc + 24 * H), decisionDue: null, breaches: [] };
    if (assigned < now) {
      data.assignedAt = iso(assigned);
      assignee = agent;
      status = 'assigned';
    } else status = 'escalated';
    if (responded < now) {
      data.firstResponseAt = iso(responded);
      firstResponseAt = responded;
    }
    // The clocks start at the escalation; whoever held the case when one ran out is named, as src/handoff/sla.ts does.
    if (responded - esc > 15 * MIN && esc + 15 * MIN < now) sla.breaches.push({ type: 'first', at: iso(esc + 15 * MIN), anchor: iso(esc), agent: assigned < esc + 15 * MIN ? agent : null });
    const done = responded + (0.3 + r() * (r() < 0.2 ? 40 : 12)) * H;
    if (done - esc > 24 * H && esc + 24 * H < now) sla.breaches.push({ type: 'resolution', at: iso(esc + 24 * H), anchor: iso(esc), agent: assigned < esc + 24 * H ? agent : null });
    if (done < now) resolvedAt = done;
  } else if (at + 30 * MIN < now) {
    resolvedAt = at + (3 + r() * 25) * MIN;
  }
  let csat: Csat | null = null;
  let reopenCount = 0;
  if (resolvedAt !== null) {
    data.resolvedAt = iso(resolvedAt);
    data.resolvedBy = escalated ? agent : category === 'logistics' || category === 'no_fault_return' ? pick(r, ['bot', 'doudian']) : 'bot';
    status = 'resolved';
    const closedAt = resolvedAt + 48 * H;
    if (closedAt < now) {
      data.closedAt = iso(closedAt);
      status = 'closed';
    }
    if (resolvedAt + 24 * H < now && r() < 0.58) {
      const slow = firstResponseAt !== null && firstResponseAt - at > 30 * MIN;
      csat = weighted<Csat>(r, slow ? [[1, 14], [2, 14], [3, 24], [4, 26], [5, 22]] : escalated ? [[1, 4], [2, 5], [3, 12], [4, 31], [5, 48]] : [[1, 3], [2, 4], [3, 10], [4, 28], [5, 55]]);
      if (csat >= 4 && r() < 0.35) {
        data.showcase = { consent: true, words: fill(pick(r, DEMO_TEXT.praise), { product: x.product.name }), at: iso(resolvedAt + 24 * H + r() * 4 * H) };
      }
    }
    if ((csat !== null && csat <= 2 && r() < 0.45) || r() < 0.025) reopenCount = 1;
  }
  const messages = [
    { at: at - (1 + r() * 3) * MIN, text: description },
    { at: at - 30_000, text: fill(pick(r, DEMO_TEXT.orderLines), { orderId: x.orderId }) },
  ];
  return {
    c: {
      id: uuidOf(r),
      channel: x.channel,
      customerId: x.customer.platformUserId,
      category,
      orderId: x.orderId,
      description,
      evidence: [],
      resolution: resolvedAt !== null ? pick(r, RESOLUTIONS[category]) : null,
      status,
      priority: category === 'quality' && r() < 0.1 ? 1 : escalated ? 2 : 3,
      risk: category === 'service' && r() < 0.2,
      assignee,
      csat,
      reopenCount,
      sla,
      steps: [],
      data,
      version: 1,
      createdAt: iso(at),
      updatedAt: typeof data.closedAt === 'string' ? data.closedAt : iso(resolvedAt ?? at),
    },
    messages,
  };
}

function describe(x: BuildInput): string {
  const { r } = x;
  const vars = {
    product: x.product.name,
    carrier: x.carrier,
    defect: pick(r, x.product.defects),
    days: String(3 + Math.floor(r() * 6)),
    phone: `1${pick(r, ['38', '39', '58', '86', '37'])}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
  };
  const spikeCup = x.product.name === DEMO_SPIKES.product && x.category === 'quality' && r() < 0.6;
  const text = spikeCup ? pick(r, DEMO_TEXT.cupLeak) : pick(r, DEMO_TEXT.complaints[x.category]);
  const withPhone = r() < 0.08 ? `${text}，电话{phone}` : text;
  return fill(withPhone, vars);
}
