/**
 * ioredis connections. BullMQ workers need `maxRetriesPerRequest: null`; auto-pipelining stays off on
 * BullMQ connections (taskforcesh/bullmq#457).
 */
import { Redis, type RedisOptions } from 'ioredis';

export function createRedis(url: string, opts: { forWorker?: boolean; name?: string } = {}): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: opts.forWorker ? null : 3,
    enableReadyCheck: true,
    connectionName: opts.name,
    // Reconnect quickly after a Redis restart; cap at 2 s so workers resume within seconds.
    retryStrategy: (times) => Math.min(100 * times, 2000),
  };
  return new Redis(url, options);
}
