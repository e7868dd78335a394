/** /healthz (process alive), /readyz (Redis and store answer), /metrics (Prometheus text). */
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
