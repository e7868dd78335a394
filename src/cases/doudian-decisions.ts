/**
 * The shop's decisions in 抖店 (src/channels/doudian/decisions.ts reads them from the pushes) moving a case through
 * the lifecycle. A case in review (待审核, 等人工, 审核中) is approved or rejected by `doudian` with the same record,
 * case event and message to the shopper as a person's decision in the console (src/cases/execution.ts), or closed
 * when 抖店 closed the after-sale before anyone decided. A person's decision wins: on a case already decided the push
 * is recorded as a `doudian_decision_kept` event and nothing flips. Everything is keyed by the push's msg_id, so a
 * redelivered push adds nothing, and a run that stopped halfway finishes what it started.
 */
import type { ShopDecision } from '../channels/doudian/decisions.js';
import { DONE, refusal, type CaseActionType } from '../core/lifecycle.js';
import type { Case } from '../core/types.js';
import type { Services } from '../services.js';
import { moveCase } from '../store/case-moves.js';
import { addEventOnce } from '../store/versioned.js';
import { announceDecision, moveDecision } from './execution.js';
import { readDecision } from './steps.js';

/** Who decided, in the decision record, the case events and the outbox. */
export const DOUDIAN = 'doudian';
const eventKey = (msgId: string): string => `doudian-${msgId}`;

export async function applyShopDecision(s: Services, c: Case, d: ShopDecision): Promise<void> {
  if (d.verdict === 'closed') return closeWithdrawn(s, c, d);
  const decision = {
    verdict: d.verdict,
    resolutions: d.verdict === 'approved' ? d.resolutions : [],
    reason: d.verdict === 'rejected' ? d.reason : null,
  };
  const move = { type: 'shop_decide', verdict: d.verdict } as const;
  const { case: after, moved } = await moveDecision(s, c.id, DOUDIAN, decision, move, { doudianDecisionMsgId: d.msgId });
  if (!after) return;
  // Moved now, or by this same push on a run that stopped before telling: one event, one message.
  if (moved || after.data.doudianDecisionMsgId === d.msgId) await announceDecision(s, after, DOUDIAN, decision, eventKey(d.msgId));
  else await recordKept(s, after, d, 'shop_decide');
}

/**
 * 207 售后关闭 on a case in review: the shopper withdrew the after-sale in 抖店, or it timed out; the case closes with
 * a `closed` event. After a refund (resolved) or on a closed case it says nothing new; on a case a person decided
 * it is recorded and the decision stands.
 */
async function closeWithdrawn(s: Services, c: Case, d: ShopDecision): Promise<void> {
  const at = new Date(s.clock.now()).toISOString();
  const { case: after, moved } = await moveCase(s.store, c.id, { type: 'withdraw' }, (cur) => ({
    data: { ...cur.data, closedAt: at, closedBy: DOUDIAN, doudianClosedMsgId: d.msgId, awaitingReplySince: null },
  }));
  if (!after) return;
  if (moved || after.data.doudianClosedMsgId === d.msgId) {
    await addEventOnce(s.store, { caseId: c.id, type: 'closed', actor: 'system', key: eventKey(d.msgId), data: { reason: 'doudian_after_sale_closed', by: DOUDIAN, tag: d.tag } });
    s.log.info({ caseId: c.id }, 'case closed: 抖店 closed the after-sale while it was in review');
  } else if (!DONE.includes(after.status)) {
    await recordKept(s, after, d, 'withdraw');
  }
}

/** The push's decision did not move the case (decided by a person, or not in review): history only. */
async function recordKept(s: Services, c: Case, d: ShopDecision, action: CaseActionType): Promise<void> {
  const data = { tag: d.tag, verdict: d.verdict, status: c.status, code: refusal(c, action).code, decidedBy: readDecision(c)?.by ?? null };
  await addEventOnce(s.store, { caseId: c.id, type: 'doudian_decision_kept', actor: 'system', key: eventKey(d.msgId), data });
  s.log.info({ caseId: c.id, status: c.status, tag: d.tag }, '抖店 decision recorded; the case keeps its status');
}
