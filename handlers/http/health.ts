/** /healthz (process alive), /readyz (Redis and store answer, DATA_DIR has room), /metrics (Prometheus text). */
import { statfs } from 'node:fs/promises';
import type Router from '@koa/router';
import type { Services } from '../../src/services.js';

export function healthRoutes(router: Router, s: Services): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });

  router.get('/readyz', async (ctx) => {
    const checks = await Promise.all([
      withTimeout(s.redis.ping(), 1000).then(() => null, (e: unknown) => `redis: ${describe(e)}`),
      withTimeout(s.store.ping(), 1000).then(() => null, (e: unknown) => `store: ${describe(e)}`),
      diskRoom(s.config.dataDir, s.config.diskMinFreeMb).catch((e: unknown) => `disk: ${describe(e)}`),
    ]);
    const failed = checks.filter((c): c is string => c !== null);
    ctx.status = failed.length === 0 ? 200 : 503;
    ctx.body = failed.length === 0 ? { ok: true } : { ok: false, failed };
  });

  router.get('/metrics', async (ctx) => {
    try {
      const depth = await withTimeout(s.queues.depth(), 1000);
      for (const [queue, n] of Object.entries(depth)) s.metrics.queueDepth.set({ queue }, n);
    } catch {
      // Redis down: still serve the other metrics.
    }
    ctx.type = s.metrics.registry.contentType;
    ctx.body = await s.metrics.registry.metrics();
  });
}

/** Null when the file system holding `dir` has at least `minFreeMb` free for this user, else what is left. */
async function diskRoom(dir: string, minFreeMb: number): Promise<string | null> {
  const st = await statfs(dir);
  const freeMb = Math.floor((st.bavail * st.bsize) / (1024 * 1024));
  return freeMb >= minFreeMb ? null : `disk: ${freeMb} MB free in DATA_DIR, below DISK_MIN_FREE_MB=${minFreeMb}`;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
