/**
 * A correction right after filing. The intake files a complete case without a confirm step, so 「订单号发错了，
 * 是…」 or 「不要退款了，换一个」 must change that case rather than open a second one. Only the case this
 * conversation filed last, and only while it is `open` (filed, nobody has taken it yet): once a person works on
 * it, the words go the ordinary way. Pure: the bot carries the change out (./amend-case.ts).
 */
import type { Case, Resolution } from '../core/types.js';
import type { Amendment, FlowCtx, Outcome } from './outcome.js';
import { allowedResolutions } from './policies.js';
import type { DialogueState } from './state.js';
import type { Turn } from './turn.js';

/** Statuses in which the shopper's own correction changes the case. */
const REFUND_KINDS: readonly Resolution[] = ['return_refund', 'refund'];

export const AMENDABLE_STATUSES: readonly Case['status'][] = ['open'];

export function amendFiled(s: DialogueState, t: Turn, ctx: FlowCtx): Outcome | null {
  const filed = s.lastCaseId ? ctx.cases.find((c) => c.id === s.lastCaseId) : undefined;
  if (!filed || !AMENDABLE_STATUSES.includes(filed.status) || t.anotherCase || t.question || t.evidence.length > 0) return null;
  const change: Amendment = {};
  const orderId = t.orderIds[0];
  if (t.correction && orderId && t.orderIds.length === 1 && orderId !== filed.orderId) change.orderId = orderId;
  const picked = t.choiceId?.startsWith('res_') ? (t.choiceId.slice(4) as Resolution) : null;
  const wanted = t.resolution ?? picked;
  const allowed = filed.category ? allowedResolutions(ctx.policies, filed.category) : [];
  // The answer to 「退货退款还是仅退款？」 asked for this case a turn ago is the change itself.
  const answering = s.amendPending === filed.id;
  if (wanted && wanted !== filed.resolution && (t.correction || t.changesMind || answering) && allowed.includes(wanted)) {
    const kinds = REFUND_KINDS.filter((r) => allowed.includes(r));
    if (wanted === 'refund' && t.refundKindOpen && !answering && kinds.length > 1) {
      const choices = kinds.map((r) => ({ id: `res_${r}`, label: ctx.text(`label.resolution.${r}`) }));
      return { state: { ...s, amendPending: filed.id, offered: choices }, say: [{ key: 'ask.refund_kind' }], choices, effect: null };
    }
    change.resolution = wanted;
  }
  if (!change.orderId && !change.resolution) return null;
  const changes = [
    ...(change.orderId ? [ctx.text('label.amend.orderId', { orderId: change.orderId })] : []),
    ...(change.resolution ? [ctx.text('label.amend.resolution', { resolution: ctx.text(`label.resolution.${change.resolution}`) })] : []),
  ];
  const state: DialogueState = { ...s, offered: [], amendPending: null };
  return { state, say: [{ key: 'amended', vars: { changes: changes.join(ctx.text('label.list_separator')) } }], choices: [], effect: { type: 'amend', caseId: filed.id, change } };
}
