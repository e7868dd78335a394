/**
 * The case API of contracts.md and the console's extras, against the real app: who may see and do what
 * (agents: the queue and their own cases), 404/409/403 paths, strict input (400, 413, 415), evidence served
 * safely, supervisor and admin functions, and live update hints.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../handlers/http/api.js';
import { createHttpApp } from '../../handlers/http/app.js';
import { consoleRoutes } from '../../handlers/http/console.js';
import { waitFor } from '../helpers/harness.js';
import { API_TOKEN, client, errorCode, login, makeCase, makeUser, startConsole, type Call, type ConsoleHarness } from './console-harness.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const CONTRACT_KEYS = ['assignee', 'category', 'channel', 'createdAt', 'csat', 'customerId', 'evidence', 'id', 'orderId', 'priority', 'reopenCount', 'resolution', 'risk', 'status', 'updatedAt'];

let c: ConsoleHarness;
let alice: Call;
let bob: Call;
let boss: Call;
let token: Call;
let aliceId: string;
let bobId: string;

beforeAll(async () => {
  c = await startConsole();
  const [a, b, s] = await Promise.all([makeUser(c.h), makeUser(c.h), makeUser(c.h, { role: 'supervisor' })]);
  aliceId = a.id;
  bobId = b.id;
  alice = client(c.url, { cookie: (await login(c.url, a.username)).cookie });
  bob = client(c.url, { cookie: (await login(c.url, b.username)).cookie });
  boss = client(c.url, { cookie: (await login(c.url, s.username)).cookie });
  token = client(c.url, { token: API_TOKEN });
});
afterAll(async () => c?.stop());

describe('what an agent may see', () => {
  it('lists the queue and own cases, never another agent’s, across pages without gaps or repeats', async () => {
    const mine = await makeCase(c.h, { assignee: aliceId });
    const queued = await makeCase(c.h);
    const bobs = await Promise.all([1, 2, 3].map(() => makeCase(c.h, { assignee: bobId })));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await alice(`/api/cases?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { id: string; assignee: string | null }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([mine.id, queued.id]));
    for (const b of bobs) expect(seen).not.toContain(b.id);
    // A supervisor sees everyone's.
    const all = (await (await boss('/api/cases?limit=200')).json()) as { items: { id: string }[] };
    expect(all.items.map((i) => i.id)).toEqual(expect.arrayContaining(bobs.map((b) => b.id)));
  });

  it('answers 403 for another agent’s case and its evidence, 404 for unknown ones', async () => {
    const bobs = await makeCase(c.h, { assignee: bobId, image: Buffer.concat([PNG, Buffer.from('bob')]) });
    const get = await alice(`/api/cases/${bobs.id}`);
    expect(get.status).toBe(403);
    expect(await errorCode(get)).toBe('not_your_case');
    const evidence = await alice(`/api/evidence/${bobs.evidence[0]?.id}`);
    expect(evidence.status).toBe(403);
    for (const action of ['claim', 'resolve', 'handback']) expect((await alice(`/api/cases/${bobs.id}/${action}`, { method: 'POST' })).status, action).toBe(403);
    expect((await alice(`/api/cases/${bobs.id}/reply`, { method: 'POST', body: { text: '你好' } })).status).toBe(403);
    expect((await alice(`/api/cases/${bobs.id}/notes`, { method: 'POST', body: { text: '看看' } })).status).toBe(403);
    expect((await bob(`/api/evidence/${bobs.evidence[0]?.id}`)).status).toBe(200);
    const unknown = await alice('/api/cases/00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('case_not_found');
    expect((await alice('/api/cases/00000000-0000-0000-0000-000000000000/claim', { method: 'POST' })).status).toBe(404);
    expect((await alice('/api/evidence/nope')).status).toBe(404);
  });

  it('serves evidence with its type, privately, and never SVG or HTML inline', async () => {
    const png = await makeCase(c.h, { image: PNG });
    const res = await alice(`/api/evidence/${png.evidence[0]?.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toMatch(/^private/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toMatch(/^inline/);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    const svg = await makeCase(c.h, { image: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), mime: 'image/svg+xml' });
    const bad = await alice(`/api/evidence/${svg.evidence[0]?.id}`);
    expect(bad.status).toBe(200);
    expect(bad.headers.get('content-type')).toBe('application/octet-stream');
    expect(bad.headers.get('content-disposition')).toMatch(/^attachment/);
  });
});

describe('case actions', () => {
  it('claim → reply → note → resolve, with the contract shape and the reply in the transcript', async () => {
    const kase = await makeCase(c.h, { image: PNG });
    const detail = (await (await alice(`/api/cases/${kase.id}`)).json()) as Record<string, unknown> & { packet: { summary: string[]; evidence: { url: string }[] }; actions: Record<string, boolean> };
    for (const key of CONTRACT_KEYS) expect(detail, key).toHaveProperty(key);
    for (const hidden of ['data', 'version', 'conversationId']) expect(detail).not.toHaveProperty(hidden);
    expect(detail.packet.summary).toHaveLength(3);
    expect(detail.packet.summary[1]).toMatch(/｜证据 1 份｜诉求：/);
    expect(detail.packet.summary.join('\n')).not.toMatch(/[{}]/);
    expect(detail.packet.evidence[0]?.url).toBe(`/api/evidence/${kase.evidence[0]?.id}`);
    expect(detail.actions).toMatchObject({ claim: true, reply: false, resolve: false });

    // Replying or resolving before claiming is a state conflict.
    const early = await alice(`/api/cases/${kase.id}/reply`, { method: 'POST', body: { text: '您好' } });
    expect(early.status).toBe(409);
    expect((await alice(`/api/cases/${kase.id}/resolve`, { method: 'POST' })).status).toBe(409);

    const claimed = await alice(`/api/cases/${kase.id}/claim`, { method: 'POST' });
    expect(claimed.status).toBe(200);
    const body = (await claimed.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'assigned', assignee: aliceId });
    expect(Object.keys(body)).toEqual(expect.arrayContaining(CONTRACT_KEYS));
    // Bob cannot take it any more, and no longer sees it.
    expect((await bob(`/api/cases/${kase.id}/claim`, { method: 'POST' })).status).toBe(403);

    const reply = await alice(`/api/cases/${kase.id}/reply`, { method: 'POST', body: { text: '您好，我是售后客服，马上为您处理～' } });
    expect(reply.status).toBe(201);
    expect(await reply.json()).toMatchObject({ id: kase.id, delivery: { status: 'pending' } });
    expect((await alice(`/api/cases/${kase.id}/notes`, { method: 'POST', body: { text: '顾客要求尽快退款' } })).status).toBe(201);
    await waitFor(async () => {
      const d = (await (await alice(`/api/cases/${kase.id}`)).json()) as { messages: { from: string; text: string; status?: string }[] };
      return d.messages.some((m) => m.from === 'agent' && m.status === 'sent' && m.text.includes('马上为您处理'));
    });
    const events = await c.h.services.store.listCaseEvents(kase.id);
    expect(events.find((e) => e.type === 'note')?.data.text).toBe('顾客要求尽快退款');

    const resolved = await alice(`/api/cases/${kase.id}/resolve`, { method: 'POST', body: { note: '已退款' } });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved' });
    const again = await alice(`/api/cases/${kase.id}/resolve`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe('already_resolved');
    expect((await alice(`/api/cases/${kase.id}/handback`, { method: 'POST' })).status).toBe(409);
    expect((await alice(`/api/cases/${kase.id}/claim`, { method: 'POST' })).status).toBe(409);
  });

  it('hands a case back to the bot and lets a supervisor reassign', async () => {
    const kase = await makeCase(c.h, { assignee: aliceId });
    expect((await alice(`/api/cases/${kase.id}/assign`, { method: 'POST', body: { userId: bobId } })).status).toBe(403);
    const moved = await boss(`/api/cases/${kase.id}/assign`, { method: 'POST', body: { userId: bobId } });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ status: 'assigned', assignee: bobId });
    expect((await alice(`/api/cases/${kase.id}`)).status).toBe(403);
    const back = await bob(`/api/cases/${kase.id}/handback`, { method: 'POST' });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ status: 'open', assignee: null });
    const conv = await c.h.services.store.getConversation(kase.conversationId);
    expect(conv?.mode).toBe('bot');
  });
});

describe('input validation', () => {
  it('rejects bad queries and bodies with clear errors', async () => {
    const bad = await alice('/api/cases?status=bogus');
    expect(bad.status).toBe(400);
    const err = ((await bad.json()) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('invalid_query');
    expect(err.message).toContain('status');
    expect((await alice('/api/cases?limit=0')).status).toBe(400);
    expect((await alice('/api/cases?limit=abc')).status).toBe(400);
    expect((await alice('/api/cases?channel=qq')).status).toBe(400);
    expect((await alice('/api/cases?nope=1')).status).toBe(400);
    expect((await alice('/api/cases?cursor=garbage')).status).toBe(400);
    expect((await alice('/api/cases?status=escalated,assigned&channel=web&category=quality&limit=5')).status).toBe(200);

    const kase = await makeCase(c.h, { assignee: aliceId });
    const path = `/api/cases/${kase.id}/reply`;
    const missing = await alice(path, { method: 'POST', body: {} });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('text');
    expect((await alice(path, { method: 'POST', body: { text: '你好', extra: 1 } })).status).toBe(400);
    expect((await alice(path, { method: 'POST', body: '{broken', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    const form = await alice(path, { method: 'POST', body: 'text=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const huge = await alice(path, { method: 'POST', body: { text: 'x'.repeat(70 * 1024) } });
    expect(huge.status).toBe(413);
    expect((await c.h.services.store.listOutbound({ conversationId: kase.conversationId })).length).toBe(0);
  });
});

describe('console extras', () => {
  it('sorts the inbox by priority, then SLA time left', async () => {
    const p3 = await makeCase(c.h, { priority: 3 });
    const p1 = await makeCase(c.h, { priority: 1 });
    const p2 = await makeCase(c.h, { priority: 2 });
    const res = await alice('/api/queue');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { id: string; priority: number; ref: string; sla: { leftMs: number } | null; mine: boolean }[] };
    const order = items.filter((i) => [p1.id, p2.id, p3.id].includes(i.id)).map((i) => i.id);
    expect(order).toEqual([p1.id, p2.id, p3.id]);
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]] as [(typeof items)[number], (typeof items)[number]];
      expect(a.priority <= b.priority).toBe(true);
      if (a.priority === b.priority) expect((a.sla?.leftMs ?? Infinity) <= (b.sla?.leftMs ?? Infinity)).toBe(true);
    }
    expect(items.find((i) => i.id === p1.id)?.ref).toMatch(/\S/);
    expect(items.find((i) => i.id === p1.id)?.sla).not.toBeNull();
  });

  it('keeps team, alerts and users to the roles that own them', async () => {
    expect((await alice('/api/team')).status).toBe(403);
    const team = await boss('/api/team');
    expect(team.status).toBe(200);
    const members = ((await team.json()) as { members: { id: string; load: number; capacity: number }[] }).members;
    expect(members.find((m) => m.id === aliceId)).toMatchObject({ capacity: 5 });
    expect((await alice('/api/alerts')).status).toBe(403);
    expect((await boss('/api/alerts')).status).toBe(200);
    expect((await boss('/api/users')).status).toBe(403);
    expect((await alice('/api/users', { method: 'POST', body: {} })).status).toBe(403);
  });

  it('lets an admin create and change accounts', async () => {
    const created = await token('/api/users', { method: 'POST', body: { username: 'NewAgent', password: 'violet-kettle-92', displayName: '小李', role: 'agent', skills: ['web', 'quality'], capacity: 3 } });
    expect(created.status).toBe(201);
    const user = (await created.json()) as Record<string, unknown>;
    expect(user).toMatchObject({ username: 'newagent', role: 'agent', skills: ['web', 'quality'], capacity: 3 });
    expect(user).not.toHaveProperty('passwordHash');
    expect((await token('/api/users', { method: 'POST', body: { username: 'newagent', password: 'violet-kettle-92', displayName: 'x', role: 'agent' } })).status).toBe(409);
    expect((await token('/api/users', { method: 'POST', body: { username: 'x y', password: 'violet-kettle-92', displayName: 'x', role: 'agent' } })).status).toBe(400);
    expect((await token('/api/users', { method: 'POST', body: { username: 'short', password: '123', displayName: 'x', role: 'agent' } })).status).toBe(400);
    expect((await token('/api/users', { method: 'POST', body: { username: 'boss2', password: 'violet-kettle-92', displayName: 'x', role: 'king' } })).status).toBe(400);
    // Passwords: 10+ characters and not on the common-passwords list (case-insensitive); nothing is created.
    for (const weak of ['short-pw9', 'password123', 'QWERTYUIOP', '1234567890']) {
      const res = await token('/api/users', { method: 'POST', body: { username: 'weakling', password: weak, displayName: 'x', role: 'agent' } });
      expect(res.status, weak).toBe(400);
      expect(await errorCode(res), weak).toBe('weak_password');
    }
    expect(await c.h.services.store.getUserByName('weakling')).toBeNull();
    expect(await errorCode(await token(`/api/users/${String(user.id)}`, { method: 'PATCH', body: { password: 'iloveyou12' } }))).toBe('weak_password');
    const patched = await token(`/api/users/${String(user.id)}`, { method: 'PATCH', body: { role: 'supervisor', wecomUserId: 'LiSi', skills: ['douyin'] } });
    expect(await patched.json()).toMatchObject({ role: 'supervisor', wecomUserId: 'LiSi', skills: ['douyin'] });
    expect((await login(c.url, 'newagent', 'violet-kettle-92')).res.status).toBe(200);
    const admin = await c.h.services.store.getUserByName('admin');
    const demote = await token(`/api/users/${admin?.id}`, { method: 'PATCH', body: { role: 'agent' } });
    expect(demote.status).toBe(409);
    expect((await token('/api/users/unknown-user', { method: 'PATCH', body: { displayName: 'x' } })).status).toBe(404);
  });

  it('lets supervisors set a customer’s member level from the policy file', async () => {
    const kase = await makeCase(c.h);
    const conv = await c.h.services.store.getConversation(kase.conversationId);
    const id = conv?.customerId as string;
    const detail = (await (await boss(`/api/cases/${kase.id}`)).json()) as { packet: { customer: { id: string } } };
    expect(detail.packet.customer.id).toBe(id);
    expect((await alice(`/api/customers/${id}`, { method: 'PATCH', body: { memberLevel: 'vip' } })).status).toBe(403);
    expect((await boss(`/api/customers/${id}`, { method: 'PATCH', body: { memberLevel: 'gold' } })).status).toBe(400);
    const ok = await boss(`/api/customers/${id}`, { method: 'PATCH', body: { memberLevel: 'VIP' } });
    expect(ok.status).toBe(200);
    expect((await c.h.services.store.getCustomer(id))?.memberLevel).toBe('vip');
    expect((await boss('/api/customers/nobody', { method: 'PATCH', body: { memberLevel: null } })).status).toBe(404);
  });

  it('lists tasks and marks them done once', async () => {
    const kase = await makeCase(c.h);
    const { row } = await c.h.services.store.insertTask({ key: `t-${kase.id}`, kind: 'followup', reason: '回访窗口已关闭，请电话联系顾客', caseId: kase.id });
    const list = (await (await alice('/api/tasks')).json()) as { items: { id: string; caseRef: string }[] };
    expect(list.items.map((t) => t.id)).toContain(row.id);
    const done = await alice(`/api/tasks/${row.id}/done`, { method: 'POST' });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ status: 'done', doneBy: aliceId });
    expect((await alice(`/api/tasks/${row.id}/done`, { method: 'POST' })).status).toBe(409);
  });

  it('offers canned replies with variables for the agent', async () => {
    const res = await alice('/api/canned');
    const { items } = (await res.json()) as { items: { key: string; title: string; text: string }[] };
    expect(items.length).toBeGreaterThanOrEqual(10);
    expect(items.some((i) => i.text.includes('{agentName}'))).toBe(true);
    for (const i of items) expect(i.title.length).toBeGreaterThan(0);
  });

  it('presence: a console user goes online and away', async () => {
    expect(await (await alice('/api/me/presence', { method: 'POST', body: { online: true } })).json()).toMatchObject({ online: true });
    expect(await (await alice('/api/me/presence', { method: 'POST', body: { online: false } })).json()).toMatchObject({ online: false });
    expect((await token('/api/me/presence', { method: 'POST', body: { online: true } })).status).toBe(400);
  });

  it('pushes a queue hint over server-sent events and ends the stream at logout', async () => {
    const agent = await makeUser(c.h);
    const { cookie } = await login(c.url, agent.username);
    const ctrl = new AbortController();
    const res = await fetch(`${c.url}/api/events`, { headers: { cookie }, signal: ctrl.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const until = async (pattern: RegExp): Promise<void> => {
      const deadline = Date.now() + 15_000;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in ${text}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended without ${pattern}: ${text}`);
        text += Buffer.from(value).toString('utf8');
      }
    };
    await until(/event: ready/);
    await new Promise((r) => setTimeout(r, 2_500)); // let the stream take its first fingerprint
    await makeCase(c.h);
    await until(/event: queue/);
    await client(c.url, { cookie })('/console/logout', { method: 'POST' });
    await until(/event: logout/);
    const { done } = await reader.read();
    expect(done).toBe(true);
    ctrl.abort();
  });

  it('does not keep a closing server waiting on open event streams', async () => {
    const server = http.createServer(createHttpApp(c.h.services, [consoleRoutes, apiRoutes]).callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    await (res.body as ReadableStream<Uint8Array>).getReader().read();
    const started = Date.now();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
