/** Processor of the `assign` queue: one run of the assigner (deduplicated, so runs never overlap). */
import type { Job } from 'bullmq';
import { runAssigner } from '../../src/handoff/assign.js';
import type { JobMap } from '../../src/queues/jobs.js';
import type { Services } from '../../src/services.js';

export function assignProcessor(s: Services) {
  return async (job: Job<JobMap['assign']>): Promise<string> => {
    const assigned = await runAssigner(s);
    if (assigned > 0) s.log.info({ assigned, reason: job.data.reason }, 'assigner handed out cases');
    return `assigned ${assigned}`;
  };
}
