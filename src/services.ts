/**
 * Everything a handler or processor may use, built once by `createServices` (called by src/app.ts, which the
 * roots src/main.ts and src/worker.ts start, and by the test harness) and passed down. Nothing below reads
 * process.env or a config file.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/load-config.js';
import { createDoudianChannel } from './channels/doudian/index.js';
import type { DoudianClient } from './channels/doudian/client.js';
import { doudianOrderLookup } from './channels/doudian/order-lookup.js';
import type { OrderLookup } from './core/order-lookup.js';
import { createDouyinChannel } from './channels/douyin/index.js';
import type { ChannelHydrator, ChannelSender, Ingest } from './channels/types.js';
import { createWebSender } from './channels/web/sender.js';
import type { WecomClient } from './channels/wecom/client.js';
import { createWecomChannel } from './channels/wecom/index.js';
import { systemClock, type Clock } from './core/clock.js';
import type { Channel } from './core/types.js';
import type { Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createNlu, type Nlu } from './nlu/index.js';
import { loadOperatorData, type OperatorData } from './operator-data.js';
import { createIngest } from './pipeline/ingest.js';
import { createRedis } from './queues/connection.js';
import { createQueues, type Queues } from './queues/queues.js';
import { createStore } from './store/create-store.js';
import type { Store } from './store/types.js';
import type { TokenKeeper } from './tokens/keeper.js';

export interface Services {
  config: Config;
  log: Logger;
  store: Store;
  /** Shared non-blocking Redis connection (caches, dedupe keys, token single-flight). */
  redis: Redis;
  queues: Queues;
  clock: Clock;
  metrics: Metrics;
  /** The operator's files (config/*.json, templates/), validated at start-up. */
  data: OperatorData;
  /** The message classifier, loaded once per process (first call); a failed load is tried again on the next. */
  classifier(): Promise<Nlu>;
  senders: Partial<Record<Channel, ChannelSender>>;
  hydrators: Partial<Record<Channel, ChannelHydrator>>;
  /** One API client per platform and process, null when that platform is not configured. */
  clients: { wecom: WecomClient | null; doudian: DoudianClient | null };
  /** The shop's order look-ups for the dialogue (抖店 when configured), null when no shop system is connected. */
  orders: OrderLookup | null;
  ingest: Ingest;
}

/** What exists before the channels are built; channel factories take this and return sender/hydrator. */
export type BaseServices = Omit<Services, 'senders' | 'hydrators' | 'clients' | 'orders' | 'ingest'>;

export interface ServiceOptions {
  log: Logger;
  clock?: Clock;
  /** Register default process metrics (off in tests, where several apps share a process). */
  defaultMetrics?: boolean;
  /** Operator data already loaded (tests adjust the roster); default: read and validated from config/. */
  data?: OperatorData;
  /** The classifier loader; default: the model cached in DATA_DIR, trained when missing. */
  classifier?: () => Promise<Nlu>;
}

export interface Composition {
  services: Services;
  /** The platform tokens this process keeps fresh (src/tokens/watch.ts runs them in the worker). */
  tokenKeepers: TokenKeeper[];
  close(): Promise<void>;
}

/** Loads once and remembers; a failure is forgotten so the next call tries again. */
function once(load: () => Promise<Nlu>): () => Promise<Nlu> {
  let loading: Promise<Nlu> | null = null;
  return () => {
    loading ??= load().catch((err: unknown) => {
      loading = null;
      throw err;
    });
    return loading;
  };
}

export async function createServices(config: Config, opts: ServiceOptions): Promise<Composition> {
  if (!config.redisUrl) throw new Error('REDIS_URL is not set (npm start sets it when it starts a local Redis)');
  // Operator files first: a broken one stops start-up before anything is opened.
  const data = opts.data ?? loadOperatorData();
  const store = createStore(config);
  await store.init();
  const redis = createRedis(config.redisUrl, { name: 'asa-main', log: opts.log });
  const queues = createQueues(redis, config.queuePrefix);
  const base: BaseServices = {
    config,
    log: opts.log,
    store,
    redis,
    queues,
    clock: opts.clock ?? systemClock,
    metrics: createMetrics({ defaults: opts.defaultMetrics ?? true }),
    data,
    classifier: once(opts.classifier ?? (() => createNlu({ dataDir: config.dataDir }))),
  };
  const services: Services = {
    ...base,
    senders: { web: createWebSender() },
    hydrators: {},
    clients: { wecom: null, doudian: null },
    orders: null,
    ingest: createIngest(base, { settleMs: config.inboxSettleMs }),
  };
  const tokenKeepers: TokenKeeper[] = [];
  // Each platform channel is on only when its variables are set (the README's CLI contract).
  if (config.wecom) {
    const wecom = createWecomChannel(base);
    services.senders.wecom = wecom.sender;
    services.clients.wecom = wecom.client;
  }
  if (config.douyin) {
    const douyin = createDouyinChannel(base);
    services.senders.douyin = douyin.sender;
    services.hydrators.douyin = douyin.hydrator;
    tokenKeepers.push(douyin.tokens);
  }
  // One 抖店 client for the process: its token keeper refreshes the shop's token once for every caller.
  if (config.doudian) {
    const doudian = createDoudianChannel(base);
    services.clients.doudian = doudian.client;
    services.orders = doudianOrderLookup(doudian.client, base.log);
    if (doudian.tokens) tokenKeepers.push(doudian.tokens);
  }
  return {
    services,
    tokenKeepers,
    async close() {
      await queues.close();
      await redis.quit();
      await store.close();
    },
  };
}
