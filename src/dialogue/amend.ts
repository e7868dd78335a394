/**
 * A correction right after filing. The intake files a complete case without a confirm step, so 「订单号发错了，
 * 是…」 or 「不要退款了，换一个」 must change that case rather than open a second one. Only the case this
 * conversation filed last, and only while it is `open` (filed, nobody has taken it yet): once a person works on
 * it, the words go the ordinary way. Pure: the bot carries the change out (./amend-case.ts).
 */
import type { Case } from '../core/types.js';
import type { Amendment, FlowCtx, Outcome } from './outcome.js';
import { allowedResolutions } from './policies.js';
import type { DialogueState } from './state.js';
import type { Turn } from './turn.js';

/** Statuses in which the shopper's own correction changes the case. */
export const AMENDABLE_STATUSES: readonly Case['status'][] = ['open'];

export function amendFiled(s: DialogueState, t: Turn, ctx: FlowCtx): Outcome | null {
  const filed = s.lastCaseId ? ctx.cases.find((c) => c.id === s.lastCaseId) : undefined;
  if (!filed || !AMENDABLE_STATUSES.includes(filed.status) || t.anotherCase || t.question || t.evidence.length > 0) return null;
  const change: Amendment = {};
  const orderId = t.orderIds[0];
  if (t.correction && orderId && t.orderIds.length === 1 && orderId !== filed.orderId) change.orderId = orderId;
  const wanted = t.resolution;
  if (wanted && wanted !== filed.resolution && (t.correction || t.changesMind) && filed.category && allowedResolutions(ctx.policies, filed.category).includes(wanted)) {
    change.resolution = wanted;
  }
  if (!change.orderId && !change.resolution) return null;
  const changes = [
    ...(change.orderId ? [ctx.text('label.amend.orderId', { orderId: change.orderId })] : []),
    ...(change.resolution ? [ctx.text('label.amend.resolution', { resolution: ctx.text(`label.resolution.${change.resolution}`) })] : []),
  ];
  const state: DialogueState = { ...s, offered: [] };
  return { state, say: [{ key: 'amended', vars: { changes: changes.join(ctx.text('label.list_separator')) } }], choices: [], effect: { type: 'amend', caseId: filed.id, change } };
}
