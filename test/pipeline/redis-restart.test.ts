/**
 * Redis is killed with SIGKILL in the middle of a run and restarted from its AOF. Every message the web
 * endpoint accepted (2xx) must be processed; rejected ones are retried by the client, as platforms do.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { createStore } from '../../src/store/create-store.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { testEnv, waitFor } from '../helpers/harness.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

describe('Redis restart', () => {
  let redis: RedisServer | undefined;
  let app: AppProcess | undefined;
  const cleanup: string[] = [];
  afterAll(async () => {
    await app?.kill('SIGTERM');
    await redis?.stop();
    for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loses no accepted message when Redis is killed and restarted with AOF', { timeout: 180_000 }, async () => {
    redis = await startRedisServer();
    const env = testEnv({ REDIS_URL: redis.url, WORKER_LOCK_MS: '2000' });
    cleanup.push(env.DATA_DIR as string);
    app = await spawnApp(env, 'all');
    const visitorId = 'redis-restart-visitor';
    const base = Date.now();
    const accepted = new Set<number>();

    const post = async (i: number): Promise<boolean> => {
      try {
        const res = await fetch(`${app?.url}/simulator/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: `asa_visitor=${visitorId}` },
          body: JSON.stringify({ visitorId, clientMsgId: `r${i}`, sentAt: base + i, text: `消息${i}` }),
          signal: AbortSignal.timeout(5000),
        });
        return res.status === 202 || res.status === 200;
      } catch {
        return false;
      }
    };

    for (let i = 0; i < 120; i++) {
      if (i === 40) await redis.kill();
      if (i === 45) await redis.restart();
      // Like a platform: up to 3 retries, a short pause between them.
      for (let attempt = 0; attempt < 4; attempt++) {
        if (await post(i)) {
          accepted.add(i);
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(accepted.size).toBeGreaterThanOrEqual(100);

    const store = createStore(loadConfig(env));
    await store.init();
    try {
      const conv = await waitFor(() => store.findConversation('web', visitorId));
      await waitFor(async () => (await store.listPendingInbound(conv.id, 1000)).length === 0, { timeoutMs: 90_000, what: 'pending drained' });
      const inbound = await store.listInbound(conv.id, 1000);
      const processed = new Set(inbound.filter((r) => r.status === 'processed' || r.status === 'stale').map((r) => r.message.text));
      for (const i of accepted) expect(processed.has(`消息${i}`)).toBe(true);
      const outbound = await store.listOutbound({ conversationId: conv.id, limit: 1000 });
      expect(new Set(outbound.map((o) => o.key)).size).toBe(outbound.length);
    } finally {
      await store.close();
    }
  });
});
