/**
 * Slot filling for one intake: applies what a message carries (several slots at once, corrections), says
 * what is still missing, and builds the question or the summary to confirm. Pure.
 */
import type { CaseCategory, Choice, Resolution } from '../core/types.js';
import { CASE_CATEGORIES } from '../core/types.js';
import { contentLength } from './lexicon.js';
import type { FlowCtx, Say } from './outcome.js';
import { allowedResolutions, countsAsEvidence, evidenceRuleFor, windowVerdict, type Policies } from './policies.js';
import type { Asking, Intake, Slot } from './state.js';
import type { Turn } from './turn.js';

export interface Applied {
  intake: Intake;
  /** Acknowledgements and hints to say before the next question. */
  say: Say[];
  /** Slots the message filled or changed. */
  changed: Slot[];
  /** The message was an invalid answer to `failedAt`. */
  failedAt: Slot | null;
  /** The no-reason window has passed: the intake cannot go on as a no-fault return. */
  windowExpired: { days: number; daysSince: number; stated: boolean } | null;
  /** A refund was asked for without saying whether the goods go back: ask 退货退款 or 仅退款. */
  refundKind?: boolean;
}

const DAY = 24 * 3600 * 1000;

export const orderTail = (orderId: string | null): string => (orderId ? orderId.slice(-4) : '');

export function evidenceCount(p: Policies, intake: Intake): number {
  if (!intake.category) return intake.evidence.length;
  const rule = evidenceRuleFor(p, intake.category, intake.damageInTransit);
  return intake.evidence.filter((e) => countsAsEvidence(rule, e.kind)).length;
}

export function evidenceNeeded(p: Policies, intake: Intake): number {
  return intake.category ? evidenceRuleFor(p, intake.category, intake.damageInTransit).minItems : 0;
}

/** The next question, in the order of SLOTS; `confirm` when everything is there. */
export function nextAsking(p: Policies, intake: Intake): Asking {
  if (!intake.category) return 'category';
  if (!intake.orderId) return 'orderId';
  if (!intake.description) return 'description';
  if (evidenceCount(p, intake) < evidenceNeeded(p, intake)) return 'evidence';
  if (!intake.resolution && !(intake.noResolution && p.categories[intake.category].resolutionOptional)) return 'resolution';
  return 'confirm';
}

function setResolution(p: Policies, intake: Intake, r: Resolution): { ok: boolean } {
  if (intake.category && !allowedResolutions(p, intake.category).includes(r)) return { ok: false };
  intake.resolution = r;
  intake.noResolution = false;
  return { ok: true };
}

function setDescription(ctx: FlowCtx, intake: Intake, text: string): void {
  const max = ctx.policies.intake.descriptionMaxChars;
  const next = intake.description && !intake.description.includes(text) ? `${intake.description}${ctx.text('label.clause_separator')}${text}` : text;
  intake.description = next.length > max ? next.slice(0, max) : next;
}

/** Applies one message to the intake. `asking` is the question the message answers. */
export function applyTurn(ctx: FlowCtx, intakeIn: Intake, t: Turn, asking: Asking): Applied {
  const p = ctx.policies;
  const intake: Intake = { ...intakeIn, evidence: [...intakeIn.evidence] };
  const out: Applied = { intake, say: [], changed: [], failedAt: null, windowExpired: null };
  const minChars = p.intake.descriptionMinChars;
  const describes = t.description !== null && contentLength(t.description) >= minChars;

  // Problem category: the first clear statement sets it; a different one replaces it only as a correction.
  if (t.category) {
    if (!intake.category) {
      intake.category = t.category;
      out.changed.push('category');
      out.say.push({ key: `empathy.${t.category}` });
    } else if (t.category !== intake.category && (t.correction || asking === 'category')) {
      intake.category = t.category;
      out.changed.push('category');
      out.say.push({ key: 'got.category_changed', vars: { category: ctx.text(`label.category.${t.category}`) } });
    }
    if (describes && t.description && (!intake.description || out.changed.includes('category') || t.category === intake.category)) {
      const before = intake.description;
      setDescription(ctx, intake, t.description);
      if (intake.description !== before) out.changed.push('description');
    }
  }
  intake.safetyHazard ||= t.safetyHazard;
  if (t.signedDaysAgo !== null) intake.statedSignedAt = ctx.now - t.signedDaysAgo * DAY;
  intake.damageInTransit ||= t.damageInTransit;

  // Order id: a new one fills the slot; a different one replaces it (「不对，订单号是…」).
  const candidate = t.correction ? t.orderIds[t.orderIds.length - 1] : t.orderIds[0];
  if (candidate && candidate !== intake.orderId) {
    // Absent: checked by format only (no 抖店). `unchecked`: 抖店 was asked and could not answer, so the number
    // stays unverified and the summary is shown to confirm before filing.
    const verdict = t.orderChecks[candidate];
    if (verdict?.status === 'not_found') {
      out.failedAt = 'orderId';
      out.say.push({ key: 'hint.order_not_found', vars: { orderId: candidate } });
    } else {
      const corrected = intake.orderId !== null;
      intake.orderId = candidate;
      intake.order =
        verdict?.status === 'ok'
          ? { orderId: candidate, verified: true, signedAt: verdict.signedAt, statusDesc: verdict.statusDesc, productName: verdict.productName }
          : verdict?.status === 'unchecked'
            ? { orderId: candidate, verified: false, signedAt: null, statusDesc: null, productName: null }
            : null;
      out.changed.push('orderId');
      out.say.push(corrected ? { key: 'got.order_changed', vars: { orderId: candidate } } : { key: 'got.order', vars: { orderTail: orderTail(candidate) } });
    }
  } else if (!candidate && t.wrongNumber && (asking === 'orderId' || !intake.orderId)) {
    out.failedAt = 'orderId';
    out.say.push({ key: `hint.order_${t.wrongNumber}` });
  }

  // Photos and videos, whenever they come.
  const known = new Set(intake.evidence.map((e) => e.id));
  const fresh = t.evidence.filter((e) => !known.has(e.id) && !intake.evidence.some((k) => k.sha256 && k.sha256 === e.sha256));
  if (fresh.length > 0) {
    intake.evidence.push(...fresh.slice(0, Math.max(0, p.intake.maxEvidence - intake.evidence.length)));
    out.changed.push('evidence');
    out.say.push({ key: 'got.evidence', vars: { count: intake.evidence.length } });
  } else if (t.evidence.length > 0) {
    out.say.push({ key: 'got.evidence_duplicate' });
  }

  // 「还是退款吧」 where both are allowed: ask whether the goods go back instead of guessing.
  const both = intake.category !== null && ['refund', 'return_refund'].every((r) => allowedResolutions(p, intake.category as CaseCategory).includes(r as Resolution));
  if (t.resolution === 'refund' && t.refundKindOpen && both) {
    out.refundKind = true;
  } else if (t.resolution && t.resolution !== intake.resolution) {
    const had = intake.resolution !== null;
    if (setResolution(p, intake, t.resolution).ok) {
      out.changed.push('resolution');
      const label = ctx.text(`label.resolution.${t.resolution}`);
      if (had) out.say.push({ key: 'got.resolution_changed', vars: { resolution: label } });
      else if (asking !== 'resolution' && asking !== null) out.say.push({ key: 'got.resolution', vars: { resolution: label } });
    } else if (intake.category) {
      out.failedAt = 'resolution';
      out.say.push({
        key: 'hint.resolution_not_allowed',
        vars: {
          resolution: ctx.text(`label.resolution.${t.resolution}`),
          category: ctx.text(`label.category.${intake.category}`),
          allowed: allowedResolutions(p, intake.category).map((r) => ctx.text(`label.resolution.${r}`)).join(ctx.text('label.list_separator')),
        },
      });
    }
  } else if (t.noResolution && intake.category && p.categories[intake.category].resolutionOptional) {
    intake.noResolution = true;
    intake.resolution = null;
    out.changed.push('resolution');
  }

  // Further wishes go to the agent with the case: in the description, and confirmed to the shopper.
  const more = intake.category ? t.moreResolutions.filter((r) => allowedResolutions(p, intake.category as CaseCategory).includes(r)) : [];
  // 「先催件，过两天还不到再退款」: the second wish is what to do if 催件 does not bring the parcel.
  const fallback = intake.resolution === 'urge_delivery' ? more.find((r) => r !== 'urge_delivery') : undefined;
  if (fallback && out.changed.includes('resolution')) {
    intake.fallbackResolution = fallback;
    out.say.push({ key: 'got.urge_fallback', vars: { checkAfterDays: p.urgeDelivery.checkAfterDays, resolution: ctx.text(`label.resolution.${fallback}`) } });
  } else if (more.length > 0 && out.changed.includes('resolution')) {
    const labels = more.map((r) => ctx.text(`label.resolution.${r}`)).join(ctx.text('label.list_separator'));
    setDescription(ctx, intake, ctx.text('label.more_resolutions', { resolutions: labels }));
    out.say.push({ key: 'got.more_resolutions', vars: { resolutions: labels } });
  }

  // A category set or changed now may not allow the resolution picked before.
  if (intake.category && intake.resolution && !allowedResolutions(p, intake.category).includes(intake.resolution)) {
    out.say.push({ key: 'got.resolution_reset', vars: { resolution: ctx.text(`label.resolution.${intake.resolution}`) } });
    intake.resolution = null;
  }

  // Free text answering "describe the problem".
  if (asking === 'description' && !out.changed.includes('description') && t.description && out.changed.length === 0) {
    if (describes) {
      setDescription(ctx, intake, t.description);
      out.changed.push('description');
    } else if (!t.wrongNumber) out.failedAt = 'description';
  }

  if (intake.category) {
    const w = windowVerdict(p, intake.category, intake.order?.signedAt ?? intake.statedSignedAt ?? null, ctx.now);
    if (w.status === 'expired') out.windowExpired = { days: w.days, daysSince: w.daysSince, stated: !intake.order?.signedAt };
  }
  return out;
}

export function categoryChoices(ctx: FlowCtx): Choice[] {
  return CASE_CATEGORIES.map((c: CaseCategory) => ({ id: `cat_${c}`, label: ctx.text(`label.category.${c}`) }));
}

export function resolutionChoices(ctx: FlowCtx, category: CaseCategory): Choice[] {
  const p = ctx.policies;
  const list = allowedResolutions(p, category).map((r) => ({ id: `res_${r}`, label: ctx.text(`label.resolution.${r}`) }));
  return p.categories[category].resolutionOptional ? [...list, { id: 'res_none', label: ctx.text('label.resolution.none') }] : list;
}

export function confirmChoices(ctx: FlowCtx): Choice[] {
  return [
    { id: 'confirm_yes', label: ctx.text('choice.confirm_yes') },
    { id: 'confirm_edit', label: ctx.text('choice.confirm_edit') },
  ];
}

export function editChoices(ctx: FlowCtx): Choice[] {
  return (['category', 'orderId', 'description', 'evidence', 'resolution'] as const).map((s) => ({ id: `edit_${s}`, label: ctx.text(`label.slot.${s}`) }));
}

/** The question for `asking` with its choices. */
export function question(ctx: FlowCtx, intake: Intake, asking: Asking): { say: Say; choices: Choice[] } {
  const p = ctx.policies;
  const category = intake.category ? ctx.text(`label.category.${intake.category}`) : '';
  switch (asking) {
    case 'category':
      return { say: { key: 'ask.category' }, choices: categoryChoices(ctx) };
    case 'orderId': {
      const recent = ctx.recentOrders.slice(0, p.intake.recentOrderChoices);
      const choices = recent.map((o) => ({
        id: `order_${o.orderId}`,
        label: o.productName ? ctx.text('choice.order_with_product', { orderTail: orderTail(o.orderId), product: o.productName.slice(0, 16) }) : ctx.text('choice.order', { orderTail: orderTail(o.orderId) }),
      }));
      return { say: { key: choices.length > 0 ? 'ask.order_or_pick' : 'ask.order' }, choices };
    }
    case 'description':
      return { say: { key: 'ask.description', vars: { category } }, choices: [] };
    case 'evidence': {
      const needed = evidenceNeeded(p, intake);
      const have = evidenceCount(p, intake);
      return { say: { key: have > 0 ? 'ask.evidence_more' : 'ask.evidence', vars: { count: needed - have, category } }, choices: [] };
    }
    case 'resolution':
      return { say: { key: 'ask.resolution', vars: { category } }, choices: intake.category ? resolutionChoices(ctx, intake.category) : [] };
    case 'confirm':
      return { say: summary(ctx, intake), choices: confirmChoices(ctx) };
    case 'edit':
      return { say: { key: 'ask.edit' }, choices: editChoices(ctx) };
    default:
      return { say: { key: 'ask.anything_else' }, choices: [] };
  }
}

export function summary(ctx: FlowCtx, intake: Intake): Say {
  const photos = intake.evidence.length;
  const resolution = intake.resolution ? ctx.text(`label.resolution.${intake.resolution}`) : ctx.text('label.resolution.none');
  return {
    key: 'confirm.summary',
    vars: {
      category: intake.category ? ctx.text(`label.category.${intake.category}`) : '',
      orderId: intake.orderId ?? '',
      product: intake.order?.productName ? `（${intake.order.productName}）` : '',
      description: intake.description ?? '',
      evidence: photos > 0 ? ctx.text('label.evidence_count', { count: photos }) : ctx.text('label.evidence_none'),
      resolution,
    },
  };
}

/** The one-line summary of a case filed without a confirm step: problem, order tail, what the shopper wants. */
export function filedVars(ctx: FlowCtx, intake: Intake): Record<string, string> {
  return {
    category: intake.category ? ctx.text(`label.category.${intake.category}`) : '',
    orderTail: orderTail(intake.orderId),
    product: intake.order?.productName ? `（${intake.order.productName}）` : '',
    resolution: ctx.text(`label.resolution.${intake.resolution ?? 'none'}`),
  };
}
