/** The Koa application: error handling, health, webhooks, simulator; each feature registers its routes. */
import Router from '@koa/router';
import Koa from 'koa';
import type { Services } from '../../src/services.js';
import { consoleMiddleware } from './console.js';
import { errorMiddleware } from './errors.js';
import { healthRoutes } from './health.js';
import type { InFlight } from './in-flight.js';
import { simulatorRoutes } from './simulator.js';

export type RouteModule = (router: Router, s: Services) => void;

export function createHttpApp(s: Services, extra: RouteModule[] = [], inFlight?: InFlight): Koa {
  // X-Forwarded-For is anyone's to write: believed only when TRUST_PROXY=on (behind a proxy that sets it).
  const app = new Koa({ proxy: s.config.trustProxy });
  if (inFlight) app.use(inFlight.middleware);
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
  // Koa reports a response that could not finish (the client left mid-body: ECONNRESET, or the cut request's
  // parse error) through 'error', and without a listener prints a stack to stderr. A client that left is not our
  // failure: it is counted; the request itself is logged once, as JSON, by the error middleware (body_incomplete).
  app.on('error', (err: unknown, ctx?: Koa.Context) => {
    if (isClientGone(err)) {
      s.metrics.errors.inc({ code: 'client_aborted' });
      s.log.debug({ path: ctx?.path, cause: errCode(err) }, 'client left before the response');
      return;
    }
    s.log.error({ err, path: ctx?.path }, 'response failed');
  });
  return app;
}

const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

function errCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

/** The socket was reset, or the request was cut (llhttp's HPE_* parse errors at the socket's end). */
function isClientGone(err: unknown): boolean {
  const code = errCode(err);
  return CLIENT_GONE.has(code) || code.startsWith('HPE_') || (err instanceof Error && err.message === 'aborted');
}
