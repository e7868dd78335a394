/**
 * Who is calling: a console session (HttpOnly cookie → Redis) or an integration holding API_TOKEN
 * (`Authorization: Bearer …`, compared in constant time). `sessionMiddleware` only identifies; `requireRole`
 * decides: 401 (or a redirect to the login page for HTML GETs), 403 for a role not allowed, and 403 for a
 * cookie-authenticated state change without the console's own header (CSRF: other sites cannot set it).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type Koa from 'koa';
import { forbidden, unauthorized } from '../../src/core/errors.js';
import type { Actor } from '../../src/handoff/actions.js';
import type { Services } from '../../src/services.js';
import type { ConsoleUser, Role } from '../../src/store/types.js';
import { destroySessionByKey, readSession, SESSION_COOKIE, type Session } from '../../src/console/sessions.js';

export interface Principal {
  kind: 'session' | 'token';
  user: ConsoleUser | null;
  role: Role;
}

/** The header the console's own scripts send with every state change. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'console';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time token check: both sides hashed first, so lengths always match. */
export function tokenMatches(given: string, expected: string | null): boolean {
  if (!expected || !given) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

export function principalOf(ctx: Koa.Context): Principal | null {
  return (ctx.state.principal as Principal | undefined) ?? null;
}

/** The session behind the principal (cookie logins only). */
export function sessionOf(ctx: Koa.Context): Session | null {
  return (ctx.state.consoleSession as Session | undefined) ?? null;
}

export function sessionMiddleware(s: Services): Koa.Middleware {
  const expected = s.config.apiToken;
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/webhooks/')) {
      const authz = ctx.get('authorization');
      if (authz) {
        // An Authorization header is the only credential looked at when present: a wrong token never falls back.
        const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
        if (m && tokenMatches(m[1] as string, expected)) ctx.state.principal = { kind: 'token', user: null, role: 'admin' } satisfies Principal;
      } else {
        const cookie = ctx.cookies.get(SESSION_COOKIE);
        const session = cookie ? await readSession(s, cookie) : null;
        if (session) {
          const user = await s.store.getUser(session.userId);
          if (user) {
            ctx.state.principal = { kind: 'session', user, role: user.role } satisfies Principal;
            ctx.state.consoleSession = session;
          } else {
            await destroySessionByKey(s, session.key, session.userId);
          }
        }
      }
    }
    await next();
  };
}

const isApi = (ctx: Koa.Context): boolean => ctx.path === '/api' || ctx.path.startsWith('/api/');

/** Cookie-authenticated state changes must come from our page (custom header ⇒ same origin, no CORS here). */
export function assertCsrf(ctx: Koa.Context, p: Principal | null): void {
  if (p?.kind !== 'session' || SAFE_METHODS.has(ctx.method)) return;
  if (ctx.get(CSRF_HEADER).toLowerCase() !== CSRF_VALUE) {
    throw forbidden('csrf_header_missing', `send the header "X-Requested-With: ${CSRF_VALUE}" with console requests`);
  }
}

/** Where the login page sends people back to: only paths of this site under /console. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console(\/[\w./-]*)?(\?[\w=&%.:+,-]*)?$/.test(next) && !next.includes('..') && !next.startsWith('/console/login')
    ? next
    : '/console';
}

/** Allows the listed roles (none listed: anyone signed in). */
export function requireRole(...roles: Role[]): Koa.Middleware {
  return async (ctx, next) => {
    const p = principalOf(ctx);
    if (!p) {
      if (!isApi(ctx) && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(`/console/login?next=${encodeURIComponent(safeNext(ctx.originalUrl))}`);
        return;
      }
      throw unauthorized('unauthorized', 'sign in to the console or send Authorization: Bearer <API_TOKEN>');
    }
    if (roles.length > 0 && !roles.includes(p.role)) throw forbidden('forbidden', `this needs the role ${roles.join(' or ')}`);
    assertCsrf(ctx, p);
    await next();
  };
}

export function actorOf(p: Principal): Actor {
  if (p.kind === 'token' || !p.user) return { id: 'api', role: 'admin', name: 'API' };
  return { id: p.user.id, role: p.user.role, name: p.user.displayName };
}
