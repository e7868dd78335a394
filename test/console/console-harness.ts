/**
 * The whole application (harness) with an API token, as production builds it: the console and API routes the
 * composition root registers, resolve hooks included. Helpers make people, cases and logged-in clients.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/console/passwords.js';
import type { Case, CaseStatus, Priority } from '../../src/core/types.js';
import type { ConsoleUser, Role } from '../../src/store/types.js';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/harness.js';

export const API_TOKEN = 'test-api-token-0123456789abcdef';
export const PASSWORD = 'correct horse battery';

export interface ConsoleHarness {
  h: Harness;
  url: string;
  stop(): Promise<void>;
}

export async function startConsole(opts: HarnessOptions = {}): Promise<ConsoleHarness> {
  const h = await startHarness({ ...opts, env: { API_TOKEN, ...opts.env } });
  return { h, url: h.baseUrl, stop: () => h.stop() };
}

let n = 0;
export async function makeUser(h: Harness, opts: { role?: Role; online?: boolean; name?: string; capacity?: number } = {}): Promise<ConsoleUser> {
  n += 1;
  const username = opts.name ?? `u${n}${randomBytes(3).toString('hex')}`;
  return h.services.store.createUser({
    username,
    displayName: `客服${n}`,
    role: opts.role ?? 'agent',
    passwordHash: await hashPassword(PASSWORD),
    online: opts.online ?? false,
    capacity: opts.capacity ?? 5,
  });
}

/** A case on its own web conversation, optionally with an image and an assignee. */
export async function makeCase(
  h: Harness,
  opts: { status?: CaseStatus; assignee?: string | null; priority?: Priority; image?: Buffer; mime?: string; description?: string } = {},
): Promise<Case> {
  const { store } = h.services;
  const visitor = `vc${randomBytes(6).toString('hex')}`;
  const customer = await store.upsertCustomer({ channel: 'web', platformUserId: visitor, nickname: '小王' });
  const conv = await store.getOrCreateConversation({ channel: 'web', key: visitor, customerId: customer.id });
  let c = await store.createCase({
    channel: 'web',
    customerId: visitor,
    conversationId: conv.id,
    category: 'quality',
    description: opts.description ?? '衣服开线了',
    status: opts.status ?? 'escalated',
    priority: opts.priority ?? 2,
    data: { escalatedAt: new Date().toISOString() },
  });
  if (opts.image) {
    const bytes = opts.image;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const mime = opts.mime ?? 'image/png';
    const e = await store.addEvidence({ conversationId: conv.id, caseId: c.id, channel: 'web', kind: 'image', mime, size: bytes.length, sha256, source: null }, bytes);
    c = (await store.updateCase(c.id, c.version, { evidence: [{ id: e.id, kind: 'image', mime, size: bytes.length, sha256 }] })) as Case;
  }
  if (opts.assignee) c = (await store.updateCase(c.id, c.version, { assignee: opts.assignee, status: 'assigned' })) as Case;
  return c;
}

/** Logs in through the API; returns the session cookie pair (`asa_session=…`) and the raw Set-Cookie. */
export async function login(url: string, username: string, password = PASSWORD): Promise<{ cookie: string; setCookie: string; res: Response }> {
  const res = await fetch(`${url}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'console' },
    body: JSON.stringify({ username, password }),
  });
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = /asa_session=[^;]+/.exec(setCookie)?.[0] ?? '';
  return { cookie, setCookie, res };
}

export type Call = (path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }) => Promise<Response>;

/** A fetch bound to a credential: a session cookie (with the console header) or the API token. */
export function client(url: string, auth: { cookie: string } | { token: string } | null): Call {
  return (path, init = {}) => {
    const headers: Record<string, string> = { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) };
    if (auth && 'cookie' in auth) Object.assign(headers, { cookie: auth.cookie, 'x-requested-with': 'console' });
    if (auth && 'token' in auth) headers.authorization = `Bearer ${auth.token}`;
    Object.assign(headers, init.headers);
    return fetch(`${url}${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}), redirect: 'manual' });
  };
}

export async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}
