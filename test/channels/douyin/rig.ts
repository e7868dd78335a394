/**
 * A small real stack for channel tests that do not need the whole app: real SQLite store in a temp folder,
 * the suite's real Redis with a unique queue prefix, the real ingest, the real error middleware, and the
 * Douyin/抖店 webhook routes on a free port. No workers run: tests drive the worker-side code directly.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Router from '@koa/router';
import Koa from 'koa';
import { inject } from 'vitest';
import { loadConfig } from '../../../config/load-config.js';
import { doudianRoutes } from '../../../handlers/http/doudian.js';
import { douyinRoutes } from '../../../handlers/http/douyin.js';
import { errorMiddleware } from '../../../handlers/http/errors.js';
import { createDouyinChannel } from '../../../src/channels/douyin/index.js';
import type { Clock } from '../../../src/core/clock.js';
import type { InboundMessage } from '../../../src/core/types.js';
import { createLogger } from '../../../src/log.js';
import { createMetrics } from '../../../src/metrics.js';
import { createIngest } from '../../../src/pipeline/ingest.js';
import { createRedis } from '../../../src/queues/connection.js';
import { createQueues } from '../../../src/queues/queues.js';
import type { BaseServices, Services } from '../../../src/services.js';
import { createStore } from '../../../src/store/create-store.js';

export const DY = {
  clientKey: 'awtestkey',
  clientSecret: 'dy-secret-123',
  accessToken: 'act.dy-token',
  businessOpenId: 'biz-open-id',
};
export const DD = { appKey: '7000000000000000001', appSecret: 'dd-secret-abc', shopId: '123456', accessToken: 'dd-token' };

export interface Rig {
  services: Services;
  baseUrl: string;
  /** Every message handed to ingest, in call order. */
  ingested: InboundMessage[];
  stop(): Promise<void>;
}

/** The 抖店 variables of DD, for a harness started against a fake 抖店 API at `apiBase`. */
export const doudianEnv = (apiBase: string): Record<string, string> => ({
  DOUDIAN_APP_KEY: DD.appKey,
  DOUDIAN_APP_SECRET: DD.appSecret,
  DOUDIAN_SHOP_ID: DD.shopId,
  DOUDIAN_ACCESS_TOKEN: DD.accessToken,
  DOUDIAN_API_BASE: apiBase,
});

export function rigEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'asa-dy-')),
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: 'silent',
    DOUYIN_CLIENT_KEY: DY.clientKey,
    DOUYIN_CLIENT_SECRET: DY.clientSecret,
    DOUYIN_ACCESS_TOKEN: DY.accessToken,
    DOUYIN_BUSINESS_OPEN_ID: DY.businessOpenId,
    DOUDIAN_APP_KEY: DD.appKey,
    DOUDIAN_APP_SECRET: DD.appSecret,
    DOUDIAN_SHOP_ID: DD.shopId,
    DOUDIAN_ACCESS_TOKEN: DD.accessToken,
    ...extra,
  };
}

export async function startRig(opts: { env?: Record<string, string>; clock?: Clock } = {}): Promise<Rig> {
  const config = loadConfig(rigEnv(opts.env));
  const store = createStore(config);
  await store.init();
  const redis = createRedis(config.redisUrl as string, { name: 'rig' });
  const base: BaseServices = {
    config,
    log: createLogger({ level: 'silent' }),
    store,
    redis,
    queues: createQueues(redis, config.queuePrefix),
    clock: opts.clock ?? { now: () => Date.now() },
    metrics: createMetrics({ defaults: false }),
  };
  const ingested: InboundMessage[] = [];
  const realIngest = createIngest(base, { settleMs: 0 });
  const douyin = config.douyin ? createDouyinChannel(base) : null;
  const services: Services = {
    ...base,
    senders: douyin ? { douyin: douyin.sender } : {},
    hydrators: douyin ? { douyin: douyin.hydrator } : {},
    ingest: async (messages) => {
      ingested.push(...messages);
      return realIngest(messages);
    },
  };

  const app = new Koa();
  app.use(errorMiddleware(services));
  const router = new Router();
  douyinRoutes(router, services);
  doudianRoutes(router, services);
  app.use(router.routes());
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    services,
    baseUrl,
    ingested,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await base.queues.close();
      await redis.quit();
      await store.close();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` is truthy (no fixed sleeps). */
export async function until<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
