/** BullMQ processor for 'doudian-event': thin edge over src/channels/doudian/apply-event.ts. */
import type { Case } from '../../src/core/types.js';
import type { JobMap } from '../../src/queues/jobs.js';
import type { Services } from '../../src/services.js';
import { applyDoudianEvent } from '../../src/channels/doudian/apply-event.js';
import type { DoudianClient } from '../../src/channels/doudian/client.js';
import { carrierLookup } from '../../src/channels/doudian/order-events.js';
import { onCaseResolved } from '../../src/followup/index.js';
import { recordDoudianRefund, recordDoudianReturn } from '../../src/cases/doudian-steps.js';
import { applyShopDecision } from '../../src/cases/doudian-decisions.js';
import type { ShopDecision } from '../../src/channels/doudian/decisions.js';

/**
 * Accepts any BullMQ Job of the 'doudian-event' queue (only `data` is read). `client`: the application's 抖店
 * client (src/app.ts); shipment pushes name the carrier's id only, its name comes from order.orderDetail; 203
 * 买家退货 names no tracking number, afterSale.Detail has it.
 */
export function doudianEventProcessor(
  s: Services,
  client: Pick<DoudianClient, 'orderDetail' | 'afterSaleDetail'> | null,
): (job: { data: JobMap['doudian-event'] }) => Promise<void> {
  const carriers = client ? carrierLookup(client) : null;
  const caseResolved = (c: Case): Promise<void> => onCaseResolved(s, c);
  const refundIssued = (c: Case, refund: { amountFen: number; msgId: string }): Promise<void> => recordDoudianRefund(s, c, refund);
  const returnShipped = (c: Case, ret: { trackingNo: string; msgId: string }): Promise<void> => recordDoudianReturn(s, c, ret);
  const shopDecided = (c: Case, d: ShopDecision): Promise<void> => applyShopDecision(s, c, d);
  return (job) => applyDoudianEvent({ ...s, carriers, caseResolved, refundIssued, returnShipped, shopDecided, afterSales: client }, job.data);
}
