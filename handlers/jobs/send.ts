/** Processor of the `send` queue: replies written outside a conversation drain (agents, surveys, pushes). */
import type { Job } from 'bullmq';
import { deliver, type DeliverResult } from '../../src/pipeline/send.js';
import type { JobMap } from '../../src/queues/jobs.js';
import type { Services } from '../../src/services.js';

export function sendProcessor(s: Services) {
  return async (job: Job<JobMap['send']>): Promise<DeliverResult> => deliver(s, job.data.outboxKey);
}
