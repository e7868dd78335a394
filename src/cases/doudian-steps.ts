/**
 * 抖店 after-sale pushes that move a case a person approved (src/channels/doudian/after-sale.ts hands them in):
 * 203 买家退货 becomes the `return_tracking` step with the number afterSale.Detail gives, and 206/225 退款成功 the
 * `refund_issued` step with the amount 抖店 refunded, both by `doudian`. Keyed by the push's msg_id: a redelivered
 * push finds its step and adds nothing.
 */
import type { Case } from '../core/types.js';
import type { Services } from '../services.js';
import { recordStep } from './execution.js';
import { readTrackingNumber } from './tracking-number.js';

/** The shopper already hears the refund from the push's own message, so the step is not told again. */
export async function recordDoudianRefund(s: Services, c: Case, refund: { amountFen: number; msgId: string }): Promise<void> {
  await recordStep(s, { id: 'doudian' }, c.id, { kind: 'refund_issued', amountYuan: refund.amountFen / 100 }, `doudian-${refund.msgId}`, { tell: false });
}

/** The shopper sent the goods back through 抖店: they hear it is recorded, like a number they send the bot. */
export async function recordDoudianReturn(s: Services, c: Case, ret: { trackingNo: string; msgId: string }): Promise<void> {
  const carrier = readTrackingNumber(ret.trackingNo)?.carrier;
  await recordStep(s, { id: 'doudian' }, c.id, { kind: 'return_tracking', trackingNo: ret.trackingNo, ...(carrier ? { carrier } : {}) }, `doudian-${ret.msgId}`);
}
