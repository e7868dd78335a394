/**
 * The agent console's pages: login (password, rate-limited), logout, the console itself and its static
 * assets (templates/console). `consoleMiddleware` runs before every route: it identifies the caller (session
 * cookie or API_TOKEN) and closes /api/* to anyone unidentified, so no API route can be left open by mistake.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { z } from 'zod';
import { forbidden, notFound, unauthorized } from '../../src/core/errors.js';
import { assertCsrf, CSRF_HEADER, CSRF_VALUE, principalOf, requireRole, safeNext, sessionMiddleware, sessionOf } from './console-auth.js';
import { checkLogin, TooManyAttempts } from '../../src/console/login.js';
import { createSession, destroySessionByKey, SESSION_COOKIE } from '../../src/console/sessions.js';
import { projectRoot } from '../../src/paths.js';
import type { Services } from '../../src/services.js';
import { readJson } from './api.js';
import { consoleWorkRoutes } from './console-work.js';

const DIR = path.join(projectRoot, 'templates/console');
const ASSET = /^[a-z0-9][a-z0-9-]*\.(js|css|svg|png|ico)$/;
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml', png: 'image/png', ico: 'image/x-icon' };
const PAGE_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200), next: z.string().max(500).optional() }).strict();

/** Mount before the router (handlers/http/app.ts): identifies callers and answers 401 for /api/* without credentials. */
export function consoleMiddleware(s: Services): Middleware {
  const identify = sessionMiddleware(s);
  return (ctx, next) => identify(ctx, () => apiGate(ctx, next));
}

async function apiGate(ctx: Context, next: Next): Promise<void> {
  if (ctx.path !== '/api' && !ctx.path.startsWith('/api/')) return next();
  const p = principalOf(ctx);
  if (!p) throw unauthorized('unauthorized', 'sign in to the console or send Authorization: Bearer <API_TOKEN>');
  assertCsrf(ctx, p);
  ctx.set('Cache-Control', 'no-store');
  await next();
  if (ctx.status === 404 && ctx.body === undefined) {
    ctx.status = 404;
    ctx.body = { error: { code: 'not_found', message: `no API route ${ctx.method} ${ctx.path}` } };
  }
}

function sendPage(ctx: Context, file: string): void {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', PAGE_CSP);
  ctx.set('X-Frame-Options', 'DENY');
  ctx.body = fs.createReadStream(path.join(DIR, file));
}

/** Same-origin check for the login and logout posts, on top of the custom header. */
function assertSameOrigin(ctx: Context): void {
  const origin = ctx.get('origin');
  // Koa's ctx.origin echoes the Origin header when there is one, so compare with this site's own address.
  if (origin && origin !== `${ctx.protocol}://${ctx.host}`) throw forbidden('cross_origin', 'requests must come from the console page');
  if (ctx.get(CSRF_HEADER).toLowerCase() !== CSRF_VALUE) throw forbidden('csrf_header_missing', `send the header "X-Requested-With: ${CSRF_VALUE}"`);
}

export function consoleRoutes(router: Router, s: Services): void {
  consoleWorkRoutes(router, s);
  router.get('/console', requireRole(), (ctx) => sendPage(ctx, 'index.html'));

  router.get('/console/login', (ctx) => {
    if (principalOf(ctx)?.kind === 'session') return ctx.redirect(safeNext(ctx.query.next));
    sendPage(ctx, 'login.html');
  });

  router.post('/console/login', async (ctx) => {
    assertSameOrigin(ctx);
    const body = await readJson(ctx, loginBody);
    try {
      const user = await checkLogin(s, { username: body.username, password: body.password, ip: ctx.ip });
      const old = sessionOf(ctx);
      if (old) await destroySessionByKey(s, old.key, old.userId);
      const { id } = await createSession(s, user.id);
      ctx.cookies.set(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', overwrite: true });
      s.log.info({ component: 'console', userId: user.id, role: user.role }, 'console login');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { ok: true, next: safeNext(body.next) };
    } catch (err) {
      if (err instanceof TooManyAttempts) ctx.set('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
  });

  router.post('/console/logout', async (ctx) => {
    assertSameOrigin(ctx);
    const session = sessionOf(ctx);
    if (session) await destroySessionByKey(s, session.key, session.userId);
    ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', maxAge: 0, overwrite: true });
    ctx.status = 204;
  });

  router.get('/console/assets/:file', (ctx) => {
    const file = ctx.params.file ?? '';
    const full = path.join(DIR, file);
    if (!ASSET.test(file) || !fs.existsSync(full)) throw notFound('not_found', 'no such file');
    ctx.type = TYPES[path.extname(file).slice(1)] ?? 'application/octet-stream';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = fs.createReadStream(full);
  });
}
