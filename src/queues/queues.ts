/** Producers for the typed job map: one Queue per job name, sharing a prefix so tests can isolate. */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_NAMES, type JobMap, type JobName } from './jobs.js';

export interface Queues {
  add<K extends JobName>(name: K, data: JobMap[K], opts?: JobsOptions): Promise<void>;
  get<K extends JobName>(name: K): Queue<JobMap[K]>;
  /** Waiting + delayed + active jobs per queue, for /metrics. */
  depth(): Promise<Record<JobName, number>>;
  close(): Promise<void>;
}

const DEFAULTS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

export function createQueues(connection: Redis, prefix: string): Queues {
  const queues = new Map<JobName, Queue>();
  for (const name of JOB_NAMES) {
    queues.set(name, new Queue(name, { connection, prefix, defaultJobOptions: DEFAULTS }));
  }
  const queueOf = <K extends JobName>(name: K): Queue<JobMap[K]> => {
    const q = queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q as unknown as Queue<JobMap[K]>;
  };
  return {
    get: queueOf,
    async add(name, data, opts) {
      // BullMQ's generic typing of Queue.add is loose across versions; the map above is the contract.
      const q = queues.get(name) as Queue;
      await q.add(name, data, opts);
    },
    async depth() {
      const out = {} as Record<JobName, number>;
      for (const [name, q] of queues) {
        const c = await q.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        out[name] = Object.values(c).reduce((a, b) => a + b, 0);
      }
      return out;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
