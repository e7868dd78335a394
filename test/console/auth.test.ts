/**
 * Console authentication against the real app: every /api route is closed without credentials, API_TOKEN
 * works (and only the right one), the session cookie is HttpOnly + SameSite, cookie-authenticated changes need
 * the console header, logout and password resets end sessions, and password guessing is rate-limited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, PASSWORD, client, errorCode, login, makeCase, makeUser, startConsole, type ConsoleHarness } from './console-harness.js';

let c: ConsoleHarness;
beforeAll(async () => {
  // Behind a proxy that sets X-Forwarded-For, so the login tests can speak from several addresses.
  c = await startConsole({ env: { TRUST_PROXY: 'on' } });
});
afterAll(async () => c?.stop());

const ROUTES: [string, string][] = [
  ['GET', '/api/me'],
  ['POST', '/api/me/presence'],
  ['GET', '/api/cases'],
  ['GET', '/api/cases/x1'],
  ['POST', '/api/cases/x1/claim'],
  ['POST', '/api/cases/x1/reply'],
  ['POST', '/api/cases/x1/resolve'],
  ['POST', '/api/cases/x1/handback'],
  ['POST', '/api/cases/x1/notes'],
  ['POST', '/api/cases/x1/assign'],
  ['GET', '/api/evidence/x1'],
  ['GET', '/api/queue'],
  ['GET', '/api/team'],
  ['GET', '/api/alerts'],
  ['GET', '/api/tasks'],
  ['POST', '/api/tasks/x1/done'],
  ['GET', '/api/canned'],
  ['GET', '/api/users'],
  ['POST', '/api/users'],
  ['PATCH', '/api/users/x1'],
  ['PATCH', '/api/customers/x1'],
  ['GET', '/api/events'],
  ['GET', '/api/no-such-route'],
];

describe('API credentials', () => {
  it('answers 401 with a JSON error on every /api route without credentials', async () => {
    const anon = client(c.url, null);
    for (const [method, path] of ROUTES) {
      const res = await anon(path, { method, ...(method === 'GET' ? {} : { body: {} }) });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await errorCode(res)).toBe('unauthorized');
    }
  });

  it('answers 401 for a wrong or malformed token and for a forged session cookie', async () => {
    for (const authorization of [`Bearer ${API_TOKEN}x`, 'Bearer short', `Basic ${API_TOKEN}`, `Bearer ${API_TOKEN.slice(0, -1)}`]) {
      const res = await fetch(`${c.url}/api/cases`, { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
    }
    const forged = await fetch(`${c.url}/api/cases`, { headers: { cookie: `asa_session=${'A'.repeat(43)}` } });
    expect(forged.status).toBe(401);
  });

  it('accepts the API token as an admin without the console header', async () => {
    const api = client(c.url, { token: API_TOKEN });
    const me = await api('/api/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ kind: 'token', role: 'admin', user: null });
    const kase = await makeCase(c.h);
    // A token is not a person: it cannot take responsibility for a case, but it can give the case to someone.
    const claim = await api(`/api/cases/${kase.id}/claim`, { method: 'POST' });
    expect(claim.status).toBe(403);
    expect(await errorCode(claim)).toBe('console_user_required');
    const agent = await makeUser(c.h, { role: 'agent' });
    const assign = await api(`/api/cases/${kase.id}/assign`, { method: 'POST', body: JSON.stringify({ userId: agent.id }), headers: { 'content-type': 'application/json' } });
    expect(assign.status).toBe(200);
    expect(await assign.json()).toMatchObject({ id: kase.id, status: 'assigned', assignee: agent.id });
    const unknown = await api('/api/no-such-route');
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('not_found');
  });

  it('redirects an unauthenticated browser from /console to the login page', async () => {
    const res = await fetch(`${c.url}/console`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/console/login?next=%2Fconsole');
    const page = await fetch(`${c.url}/console/login`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('客服登录');
  });
});

describe('sessions', () => {
  it('sets an HttpOnly, SameSite session cookie on Path=/ and serves the console with it', async () => {
    const agent = await makeUser(c.h);
    const { res, setCookie, cookie } = await login(c.url, agent.username);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, next: '/console' });
    expect(setCookie).toMatch(/^asa_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/httponly/i);
    expect(setCookie).toMatch(/samesite=(lax|strict)/i);
    expect(setCookie).toMatch(/path=\//i);
    expect(setCookie).not.toMatch(/secure/i); // plain http here; https requests get Secure
    const page = await fetch(`${c.url}/console`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('客服工作台');
    const me = await (await client(c.url, { cookie })('/api/me')).json();
    expect(me).toMatchObject({ kind: 'session', role: 'agent', user: { id: agent.id, username: agent.username } });
    expect(JSON.stringify(me)).not.toContain('scrypt');
  });

  it('marks the cookie Secure behind an https proxy', async () => {
    const agent = await makeUser(c.h);
    const res = await fetch(`${c.url}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'console', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: agent.username, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/secure/i);
  });

  it('requires the console header for cookie-authenticated changes, but not for reads', async () => {
    const agent = await makeUser(c.h);
    const { cookie } = await login(c.url, agent.username);
    const noHeader = (path: string, method = 'POST'): Promise<Response> =>
      fetch(`${c.url}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: method === 'GET' ? undefined : JSON.stringify({ online: true }) });
    const post = await noHeader('/api/me/presence');
    expect(post.status).toBe(403);
    expect(await errorCode(post)).toBe('csrf_header_missing');
    expect((await c.h.services.store.getUser(agent.id))?.online).toBe(false);
    expect((await noHeader('/api/me', 'GET')).status).toBe(200);
    const withHeader = await client(c.url, { cookie })('/api/me/presence', { method: 'POST', body: { online: false } });
    expect(withHeader.status).toBe(200);
    // The login form itself is protected the same way, and against other origins.
    const crossLogin = await fetch(`${c.url}/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: agent.username, password: PASSWORD }) });
    expect(crossLogin.status).toBe(403);
    const otherOrigin = await fetch(`${c.url}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'console', origin: 'https://evil.example' },
      body: JSON.stringify({ username: agent.username, password: PASSWORD }),
    });
    expect(otherOrigin.status).toBe(403);
  });

  it('logout invalidates the session on the server', async () => {
    const agent = await makeUser(c.h);
    const { cookie } = await login(c.url, agent.username);
    const api = client(c.url, { cookie });
    expect((await api('/api/me')).status).toBe(200);
    const out = await api('/console/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/asa_session=;/);
    // The old cookie value no longer works even if a browser kept it.
    expect((await api('/api/me')).status).toBe(401);
  });

  it('a password reset by an admin ends the sessions of that person', async () => {
    const agent = await makeUser(c.h);
    const { cookie } = await login(c.url, agent.username);
    const admin = client(c.url, { token: API_TOKEN });
    const reset = await admin(`/api/users/${agent.id}`, { method: 'PATCH', body: { password: 'a brand new password' } });
    expect(reset.status).toBe(200);
    expect((await client(c.url, { cookie })('/api/me')).status).toBe(401);
    expect((await login(c.url, agent.username)).res.status).toBe(401);
    expect((await login(c.url, agent.username, 'a brand new password')).res.status).toBe(200);
  });

  it('sends people back only to console paths after login', async () => {
    const agent = await makeUser(c.h);
    const go = async (next: string): Promise<string> => {
      const res = await fetch(`${c.url}/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-requested-with': 'console' },
        body: JSON.stringify({ username: agent.username, password: PASSWORD, next }),
      });
      return ((await res.json()) as { next: string }).next;
    };
    expect(await go('/console/dashboard')).toBe('/console/dashboard');
    expect(await go('https://evil.example/')).toBe('/console');
    expect(await go('//evil.example')).toBe('/console');
    expect(await go('/console/../simulator')).toBe('/console');
  });
});

describe('login rate limit', () => {
  it('answers 429 with Retry-After after 5 failures, the same for unknown users, and a success resets the count', async () => {
    const agent = await makeUser(c.h);
    const attempt = (username: string, password: string, ip: string): Promise<Response> =>
      fetch(`${c.url}/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-requested-with': 'console', 'x-forwarded-for': ip },
        body: JSON.stringify({ username, password }),
      });
    // Unknown user and wrong password look the same.
    const unknown = await attempt('nobody-here', 'whatever-password', '10.0.0.1');
    const wrong = await attempt(agent.username, 'wrong-password', '10.0.0.1');
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(await unknown.json()).toEqual(await wrong.json());

    // 4 failures, then a success resets the counter for this user and address.
    for (let i = 0; i < 3; i++) expect((await attempt(agent.username, 'wrong-password', '10.0.0.1')).status).toBe(401);
    expect((await attempt(agent.username, PASSWORD, '10.0.0.1')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await attempt(agent.username, 'wrong-password', '10.0.0.1')).status).toBe(401);
    const blocked = await attempt(agent.username, PASSWORD, '10.0.0.1');
    expect(blocked.status).toBe(429);
    expect(await errorCode(blocked)).toBe('too_many_attempts');
    const retry = Number(blocked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // Another address is not blocked by this one's failures.
    expect((await attempt(agent.username, PASSWORD, '10.0.0.2')).status).toBe(200);
  });

  it('a guesser on many addresses cannot lock the user out of a clean address, and is slowed to one try per address', async () => {
    const agent = await makeUser(c.h);
    const attempt = (password: string, ip: string): Promise<Response> =>
      fetch(`${c.url}/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-requested-with': 'console', 'x-forwarded-for': ip },
        body: JSON.stringify({ username: agent.username, password }),
      });
    // 20 failures from 5 addresses (4 each, under the per-address 5): the user-wide back-off begins.
    for (let a = 0; a < 5; a++) for (let i = 0; i < 4; i++) expect((await attempt('wrong-password', `198.51.100.${a}`)).status).toBe(401);
    // Each address that already failed is now locked after its next failure; a new address gets one try.
    expect((await attempt('wrong-password', '198.51.100.0')).status).toBe(429);
    expect((await attempt('wrong-password', '198.51.100.77')).status).toBe(401);
    expect((await attempt('wrong-password', '198.51.100.77')).status).toBe(429);
    // The real user, from an address that has not failed, still signs in.
    expect((await attempt(PASSWORD, '203.0.113.5')).status).toBe(200);
  });
});
