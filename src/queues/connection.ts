/**
 * ioredis connections. BullMQ workers need `maxRetriesPerRequest: null`; auto-pipelining stays off on
 * BullMQ connections (taskforcesh/bullmq#457).
 */
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisLog {
  warn(obj: object, msg: string): void;
}

export function createRedis(url: string, opts: { forWorker?: boolean; name?: string; log?: RedisLog } = {}): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: opts.forWorker ? null : 3,
    enableReadyCheck: true,
    connectionName: opts.name,
    // Reconnect quickly after a Redis restart; cap at 2 s so workers resume within seconds.
    retryStrategy: (times) => Math.min(100 * times, 2000),
  };
  const redis = new Redis(url, options);
  // Without a listener ioredis prints every connection error with a stack to stderr. A Redis that is away is
  // reported once per outage (the retries repeat the same error every 2 s), again after it was back.
  let reported = false;
  redis.on('error', (err: Error) => {
    if (reported) return;
    reported = true;
    opts.log?.warn({ connection: opts.name ?? 'redis', err: err.message }, 'Redis connection error; reconnecting');
  });
  redis.on('ready', () => {
    reported = false;
  });
  return redis;
}
