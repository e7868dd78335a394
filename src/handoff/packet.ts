/**
 * The handoff packet: everything an agent needs so they never re-ask — order, category, evidence, the policy
 * verdict, risk and the customer's mood, a three-line summary, the whole transcript and the case history.
 */
import type { Case, Channel, EvidenceRef } from '../core/types.js';
import { buildTranscript, type TranscriptEntry } from '../pipeline/transcript.js';
import type { Services } from '../services.js';
import type { CaseEvent, Customer } from '../store/types.js';
import { sharedTemplates } from '../../templates/render.js';
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

const CHANNEL_LABEL: Record<Channel, string> = { wecom: '企业微信', douyin: '抖音', web: '网页' };
const label = (key: string): string | null => sharedTemplates()[key]?.[0] ?? null;

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

function policyLine(policy: Record<string, unknown> | null): string {
  const w = policy?.window as { status?: string; days?: number; daysSince?: number } | undefined;
  const parts: string[] = [];
  if (w?.status === 'within') parts.push(`在${w.days}天售后期内（签收第${(w.daysSince ?? 0) + 1}天）`);
  if (w?.status === 'expired') parts.push(`已超出${w.days}天售后期（签收${w.daysSince}天）`);
  if (w?.status === 'unknown') parts.push('签收时间未知');
  if (policy?.returnShippingPaidBy) parts.push(`退货运费：${policy.returnShippingPaidBy === 'shop' ? '店铺承担' : '顾客承担'}`);
  if (typeof policy?.compensationAutoApproveYuan === 'number' && policy.compensationAutoApproveYuan > 0) parts.push(`可直接补偿≤${policy.compensationAutoApproveYuan}元`);
  return parts.join('，') || '无特殊政策限制';
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
  const cat = c.category ? categoryLabel(c.category) : '未分类';
  const resolutionLabel = c.resolution ? label(`label.resolution.${c.resolution}`) : null;
  const who = [CHANNEL_LABEL[c.channel], customer?.nickname ?? '顾客', customer?.memberLevel ? (label(`label.member.${customer.memberLevel}`) ?? customer.memberLevel) : null].filter(Boolean).join(' · ');
  const orderText = order ? `订单 ${order.orderId}${order.productName ? `（${order.productName}${order.statusDesc ? `，${order.statusDesc}` : ''}）` : ''}` : '未提供订单号';
  const mood = { angry: '情绪激动', negative: '情绪不满', neutral: '情绪平稳', positive: '态度友好' }[sentiment.label];
  const summary: [string, string, string] = [
    `${who}｜${orderText}`,
    `${cat}：${c.description ?? '（未描述）'}｜证据 ${c.evidence.length} 份｜诉求：${resolutionLabel ?? '未选择'}`,
    `${escalation?.reason ? `转人工：${reasonLabel(escalation.reason)}｜` : ''}优先级 ${c.priority}${c.risk ? '，高风险' : ''}｜${mood}${sentiment.cues.length ? `（${sentiment.cues.slice(0, 3).join('、')}）` : ''}｜${policyLine(policy)}`,
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
    escalationReason: escalation?.reason ? reasonLabel(escalation.reason) : null,
    sentiment,
    summary,
    evidence: c.evidence.map((e) => ({ ...e, url: `/api/evidence/${e.id}` })),
    transcript,
    events,
    sla: { ...sla, running },
  };
}
