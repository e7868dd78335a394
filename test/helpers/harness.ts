/**
 * Boots the whole application in-process (HTTP on a free port + workers) against the suite's real Redis
 * and a fresh SQLite store in a temp folder, with a unique queue prefix so tests never see each other's jobs.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../config/load-config.js';
import { startApplication, type Role } from '../../src/app.js';
import type { Clock } from '../../src/core/clock.js';
import { alwaysOnDuty, type HandoffConfig } from '../../src/handoff/config.js';
import { loadOperatorData } from '../../src/operator-data.js';
import { createLogger } from '../../src/log.js';
import type { BotHandler } from '../../src/pipeline/bot.js';
import type { Services } from '../../src/services.js';
import { testClassifier } from './classifier.js';

export interface Harness {
  baseUrl: string;
  services: Services;
  config: Config;
  dataDir: string;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  role?: Role;
  /** Replaces the shop's real bot: only for tests of the pipeline itself (ordering, a bot that fails). */
  bot?: BotHandler;
  /** The one fake clock of a test, shared with the fake platform servers; default: the system clock. */
  clock?: Clock;
  /** Keep the data folder after stop (to restart on the same store). */
  dataDir?: string;
  /** Roster and SLAs; default: on duty around the clock, so results do not depend on the hour tests run. */
  handoff?: HandoffConfig;
}

export function testEnv(extra: Record<string, string> = {}, dataDir?: string): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'asa-test-')),
    REDIS_URL: process.env.TEST_REDIS_URL ?? inject('redisUrl'),
    QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ADMIN_PASSWORD: 'admin-password-for-tests',
    INBOX_SETTLE_MS: '0',
    // The suite drives hundreds of simulated shoppers from one address; test/http/simulator-guard.test.ts sets real limits.
    SIMULATOR_POSTS_PER_VISITOR: '100000',
    SIMULATOR_POSTS_PER_ADDRESS: '100000',
    ...(process.env.TEST_STORE === 'mongo' && process.env.MONGODB_URI
      ? { STORE: 'mongo', MONGODB_URI: `${process.env.MONGODB_URI.replace(/\/$/, '')}/asa_${randomBytes(4).toString('hex')}` }
      : {}),
    ...extra,
  };
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const env = testEnv(opts.env, opts.dataDir);
  const config = loadConfig(env);
  const log = createLogger({ level: config.logLevel });
  const data = loadOperatorData();
  const app = await startApplication(config, {
    role: opts.role ?? 'all',
    log,
    defaultMetrics: false,
    ...(opts.bot ? { bot: opts.bot } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    data: { ...data, handoff: opts.handoff ?? alwaysOnDuty(data.handoff) },
    classifier: testClassifier,
  });
  return {
    baseUrl: app.url ?? '',
    services: app.services,
    config,
    dataDir: config.dataDir,
    async stop() {
      await app.stop();
      if (!opts.dataDir) fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (no fixed sleeps in tests). */
export async function waitFor<T>(check: () => Promise<T> | T, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}
