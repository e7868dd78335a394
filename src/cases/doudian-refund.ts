/**
 * 抖店 退款成功 (tags 206/225) on a case a person approved: the refund becomes the case's `refund_issued` step, by
 * `doudian`, with the amount 抖店 refunded. The shopper already hears the refund from the push's own message
 * (src/channels/doudian/after-sale.ts), so the step is not told again. Keyed by the push's msg_id: a redelivered
 * push finds its step and adds nothing.
 */
import type { Case } from '../core/types.js';
import type { Services } from '../services.js';
import { recordStep } from './execution.js';

export async function recordDoudianRefund(s: Services, c: Case, refund: { amountFen: number; msgId: string }): Promise<void> {
  await recordStep(s, { id: 'doudian' }, c.id, { kind: 'refund_issued', amountYuan: refund.amountFen / 100 }, `doudian-${refund.msgId}`, { tell: false });
}
