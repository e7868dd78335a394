/**
 * The handoff packet: everything an agent needs so they never re-ask — order, category, evidence, the policy
 * verdict, risk and the customer's mood, a three-line summary, the whole transcript and the case history.
 */
import type { Case, EvidenceRef } from '../core/types.js';
import { buildTranscript, type TranscriptEntry } from '../pipeline/transcript.js';
import type { Services } from '../services.js';
import type { CaseEvent, Customer } from '../store/types.js';
import { renderTemplate, type TemplateBook, type TemplateVars } from '../../templates/render.js';
import { categoryLabel } from './assign.js';
import { caseRef, reasonLabel } from './refs.js';
import { readSentiment, type Sentiment } from './sentiment.js';
import { readSla, runningClocks, type SlaState } from './sla.js';

export interface HandoffPacket {
  ref: string;
  case: Case;
  customer: Pick<Customer, 'channel' | 'platformUserId' | 'nickname' | 'memberLevel'> | null;
  order: { orderId: string; productName: string | null; statusDesc: string | null; signedAt: number | null; verified: boolean } | null;
  categoryLabel: string;
  resolutionLabel: string | null;
  policy: Record<string, unknown> | null;
  escalationReason: string | null;
  sentiment: Sentiment;
  summary: [string, string, string];
  evidence: (EvidenceRef & { url: string })[];
  transcript: TranscriptEntry[];
  events: CaseEvent[];
  sla: SlaState & { running: { type: string; due: string }[] };
}

const label = (book: TemplateBook, key: string): string | null => book[key]?.[0] ?? null;

function orderOf(c: Case): HandoffPacket['order'] {
  const o = c.data.order as Partial<NonNullable<HandoffPacket['order']>> | null | undefined;
  if (!c.orderId && !o) return null;
  return {
    orderId: c.orderId ?? String(o?.orderId ?? ''),
    productName: typeof o?.productName === 'string' ? o.productName : null,
    statusDesc: typeof o?.statusDesc === 'string' ? o.statusDesc : null,
    signedAt: typeof o?.signedAt === 'number' ? o.signedAt : null,
    verified: o?.verified === true,
  };
}

/** The policy verdict in one line (templates/zh-CN/packet.json): after-sales window, who pays return freight, the auto-approve cap. */
function policyLine(book: TemplateBook, policy: Record<string, unknown> | null): string {
  const w = policy?.window as { status?: string; days?: number; daysSince?: number } | undefined;
  const parts: string[] = [];
  if (w?.status === 'within') parts.push(renderTemplate(book, 'packet.policy.within', { days: w.days, day: (w.daysSince ?? 0) + 1 }));
  if (w?.status === 'expired') parts.push(renderTemplate(book, 'packet.policy.expired', { days: w.days, daysSince: w.daysSince }));
  if (w?.status === 'unknown') parts.push(renderTemplate(book, 'packet.policy.unknown'));
  if (policy?.returnShippingPaidBy) {
    const payer = renderTemplate(book, `packet.policy.payer.${policy.returnShippingPaidBy === 'shop' ? 'shop' : 'customer'}`);
    parts.push(renderTemplate(book, 'packet.policy.freight', { payer }));
  }
  if (typeof policy?.compensationAutoApproveYuan === 'number' && policy.compensationAutoApproveYuan > 0) {
    parts.push(renderTemplate(book, 'packet.policy.auto_compensation', { cap: policy.compensationAutoApproveYuan }));
  }
  return parts.join(renderTemplate(book, 'packet.policy.separator')) || renderTemplate(book, 'packet.policy.none');
}

/** 「订单 6919…（羽绒服，已签收）」, or 未提供订单号. */
function orderText(book: TemplateBook, order: HandoffPacket['order']): string {
  if (!order) return renderTemplate(book, 'packet.order.none');
  const status = order.statusDesc ? renderTemplate(book, 'packet.order.status', { statusDesc: order.statusDesc }) : '';
  const product = order.productName ? renderTemplate(book, 'packet.order.product', { productName: order.productName, status }) : '';
  return renderTemplate(book, 'packet.order', { orderId: order.orderId, product });
}

export async function buildPacket(s: Services, c: Case): Promise<HandoffPacket> {
  const [conversation, transcript, events] = await Promise.all([
    s.store.getConversation(c.conversationId),
    buildTranscript(s.store, c.conversationId),
    s.store.listCaseEvents(c.id),
  ]);
  const customer = conversation ? await s.store.getCustomer(conversation.customerId) : null;
  const order = orderOf(c);
  const policy = (c.data.policy as Record<string, unknown> | undefined) ?? null;
  const escalation = c.data.escalation as { reason?: string } | undefined;
  const sentiment = readSentiment(s.data.sentiment, transcript.filter((t) => t.from === 'customer').map((t) => t.text));
  const book = s.data.templates;
  const t = (key: string, vars: TemplateVars = {}): string => renderTemplate(book, key, vars);
  const cat = categoryLabel(book, c.category);
  const resolutionLabel = c.resolution ? label(book, `label.resolution.${c.resolution}`) : null;
  const member = customer?.memberLevel ? (label(book, `label.member.${customer.memberLevel}`) ?? customer.memberLevel) : null;
  const who = [t(`queue.channel.${c.channel}`), customer?.nickname ?? t('packet.customer_unnamed'), member].filter(Boolean).join(t('packet.who_separator'));
  const reason = escalation?.reason ? reasonLabel(book, escalation.reason) : null;
  const summary: [string, string, string] = [
    t('packet.line.who', { who, order: orderText(book, order) }),
    t('packet.line.case', {
      category: cat,
      description: c.description ?? t('packet.description.none'),
      evidence: c.evidence.length,
      resolution: resolutionLabel ?? t('packet.resolution.none'),
    }),
    t('packet.line.state', {
      escalation: reason ? t('packet.escalation', { reason }) : '',
      priority: c.priority,
      risk: c.risk ? t('packet.risk') : '',
      mood: t(`packet.mood.${sentiment.label}`),
      cues: sentiment.cues.length ? t('packet.cues', { cues: sentiment.cues.slice(0, 3).join(t('label.list_separator')) }) : '',
      policy: policyLine(book, policy),
    }),
  ];
  const sla = readSla(c);
  const running = Object.entries(runningClocks(s, c)).map(([type, clock]) => ({ type, due: new Date(clock.due).toISOString() }));
  return {
    ref: caseRef(c.id),
    case: c,
    customer: customer ? { channel: customer.channel, platformUserId: customer.platformUserId, nickname: customer.nickname, memberLevel: customer.memberLevel } : null,
    order,
    categoryLabel: cat,
    resolutionLabel,
    policy,
    escalationReason: reason,
    sentiment,
    summary,
    evidence: c.evidence.map((e) => ({ ...e, url: `/api/evidence/${e.id}` })),
    transcript,
    events,
    sla: { ...sla, running },
  };
}
