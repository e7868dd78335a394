/** The Koa application: error handling, health, webhooks, simulator; each feature registers its routes. */
import Router from '@koa/router';
import Koa from 'koa';
import type { Services } from '../../src/services.js';
import { consoleMiddleware } from './console.js';
import { errorMiddleware } from './errors.js';
import { healthRoutes } from './health.js';
import { simulatorRoutes } from './simulator.js';

export type RouteModule = (router: Router, s: Services) => void;

export function createHttpApp(s: Services, extra: RouteModule[] = []): Koa {
  // X-Forwarded-For is anyone's to write: believed only when TRUST_PROXY=on (behind a proxy that sets it).
  const app = new Koa({ proxy: s.config.trustProxy });
  app.use(errorMiddleware(s));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    await next();
  });
  // Identifies console sessions and API_TOKEN callers; closes /api/* to anyone else (401).
  app.use(consoleMiddleware(s));
  const router = new Router();
  healthRoutes(router, s);
  if (s.config.simulator.enabled) simulatorRoutes(router, s);
  for (const register of extra) register(router, s);
  router.get('/', (ctx) => ctx.redirect(s.config.simulator.enabled ? '/simulator' : '/console'));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
