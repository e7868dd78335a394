/**
 * Answers outside the intake: where a case stands, what the rules say. Both read only data (the customer's
 * cases, the policy file), so the bot never promises something the policy it applies would refuse.
 */
import type { Case, CaseCategory, Choice } from '../core/types.js';
import { ACTIVE } from '../core/lifecycle.js';
import { stepVars } from '../cases/steps.js';
import type { TemplateVars } from '../../templates/render.js';
import { statusLabelKey } from '../channels/doudian/tags.js';
import { orderTail } from './intake.js';
import type { FlowCtx, Say } from './outcome.js';
import { memberPolicyOf, shippingPayer, type Policies } from './policies.js';

export const isActive = (c: Case): boolean => ACTIVE.includes(c.status);

/** Short customer-facing reference of a case. */
export const caseRef = (id: string): string => id.replace(/-/g, '').slice(0, 8).toUpperCase();

/** 抖店's last after-sale status in the shopper's words; a tag we have no wording for is left out. */
function platformStatus(ctx: FlowCtx, c: Case): string | null {
  const name = (c.data.afterSale as { tagName?: unknown } | undefined)?.tagName;
  if (typeof name !== 'string' || !name) return null;
  const key = statusLabelKey(name);
  if (key) return ctx.text(key);
  return /^[a-z0-9_]+$/i.test(name) ? null : name;
}

/** Hours until the review decision is due (the case's SLA clock), else the policy's figure for its priority. */
function reviewHoursOf(ctx: FlowCtx, c: Case): number {
  const due = c.sla?.decisionDue;
  const left = due ? Date.parse(due) - ctx.now : Number.NaN;
  if (Number.isFinite(left)) return Math.max(1, Math.ceil(left / 3_600_000));
  return ctx.policies.expectations.reviewHoursByPriority[String(c.priority) as '1' | '2' | '3'];
}

function caseVars(ctx: FlowCtx, c: Case): TemplateVars {
  const hours = reviewHoursOf(ctx, c);
  return {
    caseRef: caseRef(c.id),
    category: c.category ? ctx.text(`label.category.${c.category}`) : ctx.text('label.category.unknown'),
    orderTail: orderTail(c.orderId),
    resolution: c.resolution ? ctx.text(`label.resolution.${c.resolution}`) : ctx.text('label.resolution.none'),
    reviewHours: hours,
    arrivalWorkdays: ctx.policies.refund.arrivalWorkdays,
    platformStatus: platformStatus(ctx, c),
  };
}

/** Carrier and tracking number of an order 抖店 pushed as shipped; nothing when no push told us. */
export function shipmentSay(ctx: FlowCtx, orderId: string | null): Say[] {
  const shipment = orderId ? ctx.shipments?.[orderId] : undefined;
  if (!shipment || !orderId) return [];
  const vars = { orderTail: orderTail(orderId), carrier: shipment.carrier, trackingNo: shipment.trackingNo };
  return [{ key: shipment.carrier ? 'progress.shipment' : 'progress.shipment_no_carrier', vars }];
}

/** The answer for one case: status, next step, expected time; plus 抖店's own status and shipment when pushed. */
export function progressOf(ctx: FlowCtx, c: Case): Say[] {
  const vars = caseVars(ctx, c);
  // Under way: the real current step (tracking number sent, goods received, refund issued…).
  const current = c.status === 'executing' ? c.steps.at(-1) : undefined;
  const out: Say[] = [current ? { key: `progress.step.${current.kind}`, vars: { ...vars, ...stepVars(current) } } : { key: `progress.${c.status}`, vars }];
  if (vars.platformStatus) out.push({ key: 'progress.platform', vars });
  return [...out, ...shipmentSay(ctx, c.orderId)];
}

export function caseChoices(ctx: FlowCtx, cases: Case[]): Choice[] {
  return cases.slice(0, 5).map((c) => ({
    id: `case_${c.id}`,
    label: c.orderId
      ? ctx.text('choice.case_with_order', caseVars(ctx, c))
      : ctx.text('choice.case', caseVars(ctx, c)),
  }));
}

export type ProgressAnswer = { say: Say[]; pick: Choice[] };

/** Which case the question is about: the order named, the only open one, or ask when there are several. */
export function answerProgress(ctx: FlowCtx, orderIds: string[]): ProgressAnswer {
  const byOrder = ctx.cases.find((c) => c.orderId !== null && orderIds.includes(c.orderId));
  if (byOrder) return { say: progressOf(ctx, byOrder), pick: [] };
  if (orderIds.length > 0) {
    const shipped = shipmentSay(ctx, orderIds[0] ?? null);
    return { say: shipped.length > 0 ? shipped : [{ key: 'progress.no_case_for_order', vars: { orderTail: orderTail(orderIds[0] ?? null) } }], pick: [] };
  }
  const active = ctx.cases.filter(isActive);
  if (active.length > 1) return { say: [{ key: 'progress.pick', vars: { count: active.length } }], pick: caseChoices(ctx, active) };
  const one = active[0] ?? ctx.cases[0];
  if (one) return { say: progressOf(ctx, one), pick: [] };
  return { say: [{ key: 'progress.none' }], pick: [] };
}

/** Template variables every policy answer may use, all read from the policy file. */
export function policyVars(ctx: FlowCtx, memberLevel: string | null): TemplateVars {
  const p: Policies = ctx.policies;
  const payer = (who: 'shop' | 'customer'): string => ctx.text(`label.payer.${who}`);
  const member = memberPolicyOf(p, memberLevel);
  const levels = Object.entries(p.members.levels)
    .map(([level, m]) =>
      ctx.text(m.compensationAutoApproveYuan > 0 ? 'policy.member_line' : 'policy.member_line_plain', {
        level: ctx.text(`label.member.${level}`),
        cap: m.compensationAutoApproveYuan,
        priority: m.priorityHandling ? ctx.text('label.member_priority') : '',
      }),
    )
    .join(ctx.text('label.clause_separator'));
  const evidenceCategories = Object.entries(p.categories)
    .filter(([, c]) => c.evidence.minItems > 0)
    .map(([c]) => ctx.text(`label.category.${c}`));
  if (p.damageInTransit.evidence.minItems > 0) evidenceCategories.push(ctx.text('label.damage_in_transit'));
  return {
    noReasonDays: p.returnWindow.noReasonDays,
    faultPayer: payer(p.returnShipping.shopFault),
    noFaultPayer: payer(p.returnShipping.noFault),
    freightInsurance: p.returnShipping.freightInsurance ? ctx.text('policy.freight_insurance') : '',
    reviewHours: p.refund.reviewHours,
    arrivalWorkdays: p.refund.arrivalWorkdays,
    warrantyDays: p.warrantyDays,
    memberLevels: levels,
    yourLevel: memberLevel && p.members.levels[memberLevel.toLowerCase()] ? ctx.text(`label.member.${memberLevel.toLowerCase()}`) : null,
    yourCap: member.compensationAutoApproveYuan,
    evidenceCategories: evidenceCategories.join(ctx.text('label.list_separator')),
    exchangeCategories: Object.entries(p.categories)
      .filter(([, c]) => c.resolutions.includes('exchange'))
      .map(([c]) => ctx.text(`label.category.${c}`))
      .join(ctx.text('label.list_separator')),
    noFaultShipping: payer(shippingPayer(p, 'no_fault_return')),
  };
}

export function answerPolicy(ctx: FlowCtx, templates: string[], memberLevel: string | null, during?: CaseCategory | null): Say[] {
  const vars = policyVars(ctx, memberLevel);
  const keys = templates.length > 0 ? templates.slice(0, 2) : ['policy.general'];
  // 「能退吗」 while telling us about a fault of ours: the no-reason window is not the rule that applies to them.
  const ours = during ? ctx.policies.categories[during].fault === 'shop' : false;
  return keys.map((key) =>
    ours && key === 'policy.return_window' ? { key: 'policy.fault_return', vars: { ...vars, category: ctx.text(`label.category.${during}`) } } : { key, vars },
  );
}

/**
 * Answers from the shop's Q&A file for what was asked (plus the policy topics the same message names):
 * each answer once; asked again straight away, the shopper is pointed back and offered a person instead
 * of reading the same paragraph twice.
 */
export function answerQa(
  ctx: FlowCtx,
  asked: { id: string; answer: string }[],
  policyTemplates: string[],
  lastAnswers: readonly string[],
  memberLevel: string | null,
): { say: Say[]; choices: Choice[]; answered: string[] } {
  const fresh = asked.filter((q) => !lastAnswers.includes(q.id));
  if (fresh.length === 0 && policyTemplates.length === 0) {
    return { say: [{ key: 'qa.again' }], choices: [{ id: 'human', label: ctx.text('choice.human') }], answered: asked.map((q) => q.id) };
  }
  const say: Say[] = fresh.map((q) => ({ key: 'qa.answer', vars: { answer: q.answer } }));
  if (policyTemplates.length > 0) say.push(...answerPolicy(ctx, policyTemplates, memberLevel));
  return { say, choices: [], answered: asked.map((q) => q.id) };
}
