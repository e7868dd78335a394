/**
 * BullMQ workers for the typed job map, with a shutdown that has a deadline: worker.close() waits for
 * active jobs with no timeout of its own, so after `deadlineMs` the close is forced and the stalled-job
 * checker of the next worker picks the jobs up again (they are idempotent).
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { JobMap, JobName } from './jobs.js';

export type Processors = { [K in JobName]?: (job: Job<JobMap[K]>) => Promise<unknown> };

export interface WorkerSet {
  close(deadlineMs: number): Promise<void>;
}

export function startWorkers(opts: {
  connection: Redis;
  prefix: string;
  processors: Processors;
  concurrency: Partial<Record<JobName, number>>;
  lockDuration: number;
  log: Logger;
}): WorkerSet {
  const workers: Worker[] = [];
  for (const [name, processor] of Object.entries(opts.processors) as [JobName, (job: Job) => Promise<unknown>][]) {
    const worker = new Worker(name, processor, {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency[name] ?? 4,
      lockDuration: opts.lockDuration,
      stalledInterval: opts.lockDuration,
      maxStalledCount: 2,
    });
    worker.on('failed', (job, err) => {
      const final = job ? job.attemptsMade >= (job.opts.attempts ?? 1) : true;
      opts.log[final ? 'error' : 'warn']({ queue: name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, final ? 'job failed for good' : 'job failed, will retry');
    });
    worker.on('error', (err) => opts.log.warn({ queue: name, err: err.message }, 'worker connection error'));
    workers.push(worker);
  }
  return {
    async close(deadlineMs) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deadlineMs);
      });
      const closed = Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const);
      const outcome = await Promise.race([closed, deadline]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        opts.log.warn({ deadlineMs }, 'workers did not finish in time; forcing close (jobs will be retried)');
        await Promise.all(workers.map((w) => w.close(true)));
      }
    },
  };
}
