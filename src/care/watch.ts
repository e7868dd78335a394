/**
 * Each shipment push (102 shipped, 108 partly shipped, 104 logistics changed) starts the parcel's care alarm: when
 * no newer push for the order arrives within `staleHours`, the alarm finds the parcel stuck (./stale.ts). The job
 * id names the push, so a redelivered push adds nothing and a newer push leaves the older alarm moot.
 */
import { scaled } from '../../config/load-config.js';
import { jobId } from '../pipeline/keys.js';
import type { Services } from '../services.js';

export const CARE_STALE_TIMER = 'care-stale';
const HOUR_MS = 3600_000;

export const careTimerId = (orderId: string, msgId: string): string => jobId(CARE_STALE_TIMER, orderId, msgId);

export async function watchShipment(
  s: Pick<Services, 'queues' | 'config' | 'clock' | 'data'>,
  input: { orderId: string; msgId: string },
): Promise<void> {
  const cfg = s.data.care.logistics;
  if (!cfg.enabled) return;
  const delay = scaled(s.config, cfg.staleHours * HOUR_MS);
  await s.queues.add(
    'timer',
    { kind: CARE_STALE_TIMER, subjectId: input.orderId, dueAt: s.clock.now() + delay, payload: { msgId: input.msgId } },
    { jobId: careTimerId(input.orderId, input.msgId), delay },
  );
}
