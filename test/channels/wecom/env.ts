/**
 * Shared set-up for WeCom channel tests: the official test vector's credentials, a fake WeCom, and a
 * Services bundle on the suite's real Redis and a temp SQLite store (no workers: jobs just wait in a queue
 * with a unique prefix), so sync, sender and client run exactly as in production against the fake.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../../../config/load-config.js';
import { createWecomChannel } from '../../../src/channels/wecom/index.js';
import type { WecomClient } from '../../../src/channels/wecom/client.js';
import type { ChannelSender } from '../../../src/channels/types.js';
import type { Clock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/log.js';
import { createMetrics } from '../../../src/metrics.js';
import { createIngest } from '../../../src/pipeline/ingest.js';
import { createRedis } from '../../../src/queues/connection.js';
import { createQueues } from '../../../src/queues/queues.js';
import type { BaseServices, Services } from '../../../src/services.js';
import { createStore } from '../../../src/store/create-store.js';
import { startFakeWecom, type FakeWecom } from '../../fakes/wecom/index.js';

/** Official WXBizMsgCrypt vector (platforms.md §1). */
export const VECTOR = {
  token: 'QDG6eK',
  key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
} as const;

export const KF = 'wkAAA111';
export const SECRET = 'kf-secret-for-tests';

export function wecomEnv(apiBase: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WECOM_CORP_ID: VECTOR.corpId,
    WECOM_KF_SECRET: SECRET,
    WECOM_TOKEN: VECTOR.token,
    WECOM_ENCODING_AES_KEY: VECTOR.key,
    WECOM_API_BASE: apiBase,
    ...extra,
  };
}

export interface WecomTestEnv {
  fake: FakeWecom;
  services: Services;
  sender: ChannelSender;
  client: WecomClient;
  stop(): Promise<void>;
}

export async function startWecomEnv(opts: { clock?: Clock; env?: Record<string, string> } = {}): Promise<WecomTestEnv> {
  const fake = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, openKfIds: [KF, 'wkBBB222'], ...(opts.clock ? { clock: opts.clock } : {}) });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-wecom-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    REDIS_URL: process.env.TEST_REDIS_URL ?? inject('redisUrl'),
    QUEUE_PREFIX: `tw${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...wecomEnv(fake.baseUrl, opts.env),
  });
  const store = createStore(config);
  await store.init();
  const redis = createRedis(config.redisUrl ?? '', { name: 'wecom-test' });
  const queues = createQueues(redis, config.queuePrefix);
  const base: BaseServices = {
    config,
    log: createLogger({ level: config.logLevel }),
    store,
    redis,
    queues,
    clock: opts.clock ?? { now: () => Date.now() },
    metrics: createMetrics({ defaults: false }),
  };
  const { sender, client } = createWecomChannel(base);
  const services: Services = { ...base, senders: { wecom: sender }, hydrators: {}, ingest: createIngest(base, { settleMs: 0 }) };
  return {
    fake,
    services,
    sender,
    client,
    async stop() {
      await fake.close();
      await queues.close();
      await redis.quit();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A manual clock for window and expiry tests. */
export function manualClock(start = Date.UTC(2026, 10, 1, 8, 0, 0)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    set(ms) {
      now = ms;
    },
  };
}

export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF fake image bytes for tests')]);
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
