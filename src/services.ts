/**
 * Everything a handler or processor may use, built once by the composition roots (src/main.ts,
 * src/worker.ts) and passed down. Nothing below reads process.env.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/load-config.js';
import type { HandoffConfig } from './handoff/config.js';
import type { ChannelHydrator, ChannelSender, Ingest } from './channels/types.js';
import type { Clock } from './core/clock.js';
import type { Channel } from './core/types.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { Queues } from './queues/queues.js';
import type { Store } from './store/types.js';

export interface Services {
  config: Config;
  log: Logger;
  store: Store;
  /** Shared non-blocking Redis connection (caches, dedupe keys, token single-flight). */
  redis: Redis;
  queues: Queues;
  clock: Clock;
  metrics: Metrics;
  senders: Partial<Record<Channel, ChannelSender>>;
  hydrators: Partial<Record<Channel, ChannelHydrator>>;
  ingest: Ingest;
  /** Roster and service levels (config/handoff.json); tests pass their own. */
  handoff?: HandoffConfig;
}

/** What exists before the channels are built; channel factories take this and return sender/hydrator. */
export type BaseServices = Omit<Services, 'senders' | 'hydrators' | 'ingest'>;
