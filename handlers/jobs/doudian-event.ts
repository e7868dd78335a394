/** BullMQ processor for 'doudian-event': thin edge over src/channels/doudian/apply-event.ts. */
import type { Case } from '../../src/core/types.js';
import type { JobMap } from '../../src/queues/jobs.js';
import type { Services } from '../../src/services.js';
import { applyDoudianEvent } from '../../src/channels/doudian/apply-event.js';
import { createDoudianClient } from '../../src/channels/doudian/client.js';
import { carrierLookup } from '../../src/channels/doudian/order-events.js';
import { onCaseResolved } from '../../src/followup/index.js';

/** Accepts any BullMQ Job of the 'doudian-event' queue (only `data` is read). */
export function doudianEventProcessor(s: Services): (job: { data: JobMap['doudian-event'] }) => Promise<void> {
  // Shipment pushes name 抖店's carrier id only; the carrier's name comes from order.orderDetail.
  const carriers = s.config.doudian ? carrierLookup(createDoudianClient(s.config.doudian)) : null;
  const caseResolved = (c: Case): Promise<void> => onCaseResolved(s, c);
  return (job) => applyDoudianEvent({ ...s, carriers, caseResolved }, job.data);
}
