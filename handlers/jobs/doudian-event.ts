/** BullMQ processor for 'doudian-event': thin edge over src/channels/doudian/apply-event.ts. */
import type { JobMap } from '../../src/queues/jobs.js';
import type { Services } from '../../src/services.js';
import { applyDoudianEvent } from '../../src/channels/doudian/apply-event.js';

/** Accepts any BullMQ Job of the 'doudian-event' queue (only `data` is read). */
export function doudianEventProcessor(s: Services): (job: { data: JobMap['doudian-event'] }) => Promise<void> {
  return (job) => applyDoudianEvent(s, job.data);
}
