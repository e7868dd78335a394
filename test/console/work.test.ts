/**
 * The console for real work, against the real app: search (reference, order number, phone written in the
 * shopper's message, customer id) with filters, unread counts per person with the last-message preview, live
 * hints when a shopper writes in one's own case, corrections with a reason in the history, the customer's other
 * cases, and the labels for stored codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CASE_CATEGORIES, CASE_STATUSES, CHANNELS, RESOLUTIONS, type Case } from '../../src/core/types.js';
import { CASE_EVENT_TYPES, TASK_KINDS } from '../../src/store/types.js';
import { caseRef } from '../../src/handoff/refs.js';
import { waitFor } from '../helpers/harness.js';
import { API_TOKEN, client, errorCode, login, makeCase, makeUser, startConsole, type Call, type ConsoleHarness } from './console-harness.js';

let c: ConsoleHarness;
let alice: Call;
let bob: Call;
let boss: Call;
let token: Call;
let aliceId: string;
let bobId: string;
let aliceCookie: string;

interface Entry {
  id: string;
  ref: string;
  unread: number;
  isNew: boolean;
  lastMessage: { from: string; text: string } | null;
  categoryLabel: string;
}

beforeAll(async () => {
  c = await startConsole();
  const [a, b, s] = await Promise.all([makeUser(c.h), makeUser(c.h), makeUser(c.h, { role: 'supervisor' })]);
  aliceId = a.id;
  bobId = b.id;
  aliceCookie = (await login(c.url, a.username)).cookie;
  alice = client(c.url, { cookie: aliceCookie });
  bob = client(c.url, { cookie: (await login(c.url, b.username)).cookie });
  boss = client(c.url, { cookie: (await login(c.url, s.username)).cookie });
  token = client(c.url, { token: API_TOKEN });
});
afterAll(async () => c?.stop());

let sent = 0;
/** The shopper of a case (a web visitor) writes through the simulator; resolves once the message is stored. */
async function shopperSays(k: Case, text: string): Promise<void> {
  sent += 1;
  const res = await fetch(`${c.h.baseUrl}/simulator/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `asa_visitor=${k.customerId}` },
    body: JSON.stringify({ visitorId: k.customerId, clientMsgId: `w${sent}`, text }),
  });
  expect(res.status).toBe(202);
  await waitFor(async () => (await c.h.services.store.listInbound(k.conversationId, 500)).some((r) => r.message.text === text), { what: 'the shopper message stored' });
}

/** The console's event stream for a session, read until a pattern shows; returns after the first tick's fingerprints. */
async function eventStream(cookie: string): Promise<{ until(pattern: RegExp): Promise<void>; close(): void }> {
  const ctrl = new AbortController();
  const res = await fetch(`${c.url}/api/events`, { headers: { cookie }, signal: ctrl.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  const until = async (pattern: RegExp): Promise<void> => {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended without ${pattern}: ${text}`);
      text += Buffer.from(value).toString('utf8');
    }
    text = '';
  };
  await until(/event: ready/);
  // The stream's first tick takes its fingerprints; only changes after that are hints.
  await new Promise((r) => setTimeout(r, 2_500));
  text = '';
  return { until, close: () => ctrl.abort() };
}

async function search(call: Call, body: unknown): Promise<Entry[]> {
  const res = await call('/api/search', { method: 'POST', body });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Entry[] }).items;
}

const ids = (items: { id: string }[]): string[] => items.map((i) => i.id);

describe('search and filters', () => {
  it('finds a case by reference, order number, a phone the shopper wrote, and customer id; agents only their own', async () => {
    const { store } = c.h.services;
    const mine = await makeCase(c.h, { assignee: aliceId, priority: 1 });
    const bobs = await makeCase(c.h, { assignee: bobId });
    await store.updateCase(mine.id, (await store.getCase(mine.id))!.version, { orderId: '6921000000000000001' });
    await store.updateCase(bobs.id, (await store.getCase(bobs.id))!.version, { orderId: '6921000000000000001' });
    await shopperSays(mine, '我的电话是 139-1111 2222，快递一直没到');

    expect(ids(await search(alice, { q: caseRef(mine.id) }))).toEqual([mine.id]);
    expect(ids(await search(alice, { q: caseRef(mine.id).toLowerCase() }))).toEqual([mine.id]);
    // The same order on Bob's case: an agent sees only hers, a supervisor both.
    expect(ids(await search(alice, { q: '6921000000000000001' }))).toEqual([mine.id]);
    expect(ids(await search(boss, { q: '6921000000000000001' })).sort()).toEqual([mine.id, bobs.id].sort());
    // The full phone number, written any way, finds the case though it was spaced differently in the chat.
    for (const phone of ['13911112222', '139 1111 2222', '+86 139-1111-2222']) expect(ids(await search(alice, { q: phone }))).toEqual([mine.id]);
    expect(await search(alice, { q: '13911113333' })).toEqual([]);
    expect(ids(await search(alice, { q: mine.customerId }))).toEqual([mine.id]);
    expect(await search(bob, { q: caseRef(mine.id) })).toEqual([]);
  });

  it('filters by status, channel, category and priority, alone or with a term', async () => {
    const urgent = await makeCase(c.h, { assignee: aliceId, priority: 1 });
    const calm = await makeCase(c.h, { assignee: aliceId, priority: 3 });
    const p1 = ids(await search(boss, { priority: 1, status: ['assigned'], channel: 'web', category: 'quality' }));
    expect(p1).toContain(urgent.id);
    expect(p1).not.toContain(calm.id);
    expect(ids(await search(boss, { q: calm.customerId, priority: 1 }))).toEqual([]);
    expect(ids(await search(boss, { q: calm.customerId, priority: 3 }))).toEqual([calm.id]);
    expect(ids(await search(boss, { q: calm.customerId, category: 'logistics' }))).toEqual([]);
    expect(ids(await search(boss, { q: calm.customerId, status: ['resolved'] }))).toEqual([]);
    // The case list API takes the priority filter too.
    const listed = (await (await boss('/api/cases?priority=3&status=assigned&limit=200')).json()) as { items: { id: string; priority: number }[] };
    expect(listed.items.map((i) => i.id)).toContain(calm.id);
    expect(listed.items.every((i) => i.priority === 3)).toBe(true);
  });

  it('refuses bad search input with a specific error', async () => {
    for (const [body, field] of [
      [{ priority: 4 }, 'priority'],
      [{ status: ['done'] }, 'status'],
      [{ channel: 'sms' }, 'channel'],
      [{ q: 'x'.repeat(65) }, 'q'],
      [{ q: 'a', extra: 1 }, 'extra'],
    ] as const) {
      const res = await alice('/api/search', { method: 'POST', body });
      expect(res.status).toBe(400);
      const err = ((await res.json()) as { error: { code: string; message: string } }).error;
      expect(err.code).toBe('invalid_body');
      expect(err.message).toContain(field);
    }
    expect((await client(c.url, null)('/api/search', { method: 'POST', body: {} })).status).toBe(401);
    expect((await (await boss('/api/cases?priority=0')).json()) as unknown).toMatchObject({ error: { code: 'invalid_query' } });
  });
});

describe('unread messages', () => {
  it('counts the shopper lines after each person last read, shows the newest line, and marks new cases', async () => {
    const k = await makeCase(c.h, { assignee: aliceId });
    await shopperSays(k, '在吗？我等了好久了');
    await shopperSays(k, '请尽快回复我');
    const line = async (call: Call, view = ''): Promise<Entry> =>
      waitFor(async () => ((await (await call(`/api/queue${view}`)).json()) as { items: Entry[] }).items.find((i) => i.id === k.id));
    const before = await line(alice);
    expect(before).toMatchObject({ unread: 2, isNew: true, lastMessage: { from: expect.any(String) } });
    const detail = (await (await alice(`/api/cases/${k.id}`)).json()) as { messages: { at: string; from: string; text: string }[] };
    const seen = detail.messages.filter((m) => m.from === 'customer').pop() as { at: string };
    const read = await alice(`/api/cases/${k.id}/read`, { method: 'POST', body: { upTo: seen.at } });
    expect(read.status).toBe(200);
    expect(await line(alice)).toMatchObject({ unread: 0, isNew: false });
    // Read marks are per person: the supervisor still has both unread.
    expect((await line(boss, '?view=all')).unread).toBe(2);
    // An older tab cannot move the mark back.
    await alice(`/api/cases/${k.id}/read`, { method: 'POST', body: { upTo: '2020-01-01T00:00:00.000Z' } });
    expect((await line(alice)).unread).toBe(0);
    await shopperSays(k, '还有一个问题');
    const after = await waitFor(async () => ((await line(alice)).unread === 1 ? line(alice) : null));
    expect(after.lastMessage).toMatchObject({ text: expect.any(String) });
    const lines = ((await (await alice(`/api/cases/${k.id}`)).json()) as { messages: { text: string }[] }).messages;
    expect(lines.map((m) => m.text)).toContain('还有一个问题');
  });

  it('refuses a read mark that is not a time, in the future, or on a case the person may not see', async () => {
    const k = await makeCase(c.h, { assignee: aliceId });
    expect(await errorCode(await alice(`/api/cases/${k.id}/read`, { method: 'POST', body: { upTo: 'yesterday' } }))).toBe('invalid_body');
    expect(await errorCode(await alice(`/api/cases/${k.id}/read`, { method: 'POST', body: { upTo: new Date(Date.now() + 3_600_000).toISOString() } }))).toBe('read_in_future');
    expect(await errorCode(await bob(`/api/cases/${k.id}/read`, { method: 'POST', body: { upTo: new Date().toISOString() } }))).toBe('not_your_case');
    expect((await token(`/api/cases/${k.id}/read`, { method: 'POST', body: { upTo: new Date().toISOString() } })).status).toBe(204);
  });

  it('hints the owner over the event stream when the shopper writes in their case', async () => {
    const k = await makeCase(c.h, { assignee: aliceId });
    const stream = await eventStream(aliceCookie);
    await shopperSays(k, '你好，还在处理吗');
    await stream.until(/event: queue/);
    stream.close();
  }, 15_000);

  it('hints every agent when a case enters the queue, and everyone when the surge answer changes', async () => {
    const stream = await eventStream(aliceCookie);
    await makeCase(c.h);
    await stream.until(/event: queue/);
    expect((await boss('/api/surge/answer', { method: 'PUT', body: { text: '直播订单 72 小时内发货' } })).status).toBe(200);
    await stream.until(/event: surge/);
    expect(await (await alice('/api/surge')).json()).toMatchObject({ active: false, answer: '直播订单 72 小时内发货' });
    expect((await alice('/api/surge/answer', { method: 'PUT', body: { text: '随便写写' } })).status).toBe(403);
    stream.close();
  }, 15_000);
});

describe('corrections with a reason', () => {
  it('changes category, priority and resolution, keeps the reason in the history, and refuses what it should', async () => {
    const k = await makeCase(c.h, { assignee: aliceId, priority: 3 });
    const edit = (call: Call, body: unknown): Promise<Response> => call(`/api/cases/${k.id}/edit`, { method: 'POST', body });
    expect(await errorCode(await edit(alice, { priority: 1 }))).toBe('invalid_body');
    expect(await errorCode(await edit(alice, { priority: 1, reason: ' ' }))).toBe('invalid_body');
    expect(await errorCode(await edit(alice, { category: 'quality', reason: '核对后确认' }))).toBe('nothing_changed');
    expect(await errorCode(await edit(bob, { priority: 1, reason: '顾客很着急' }))).toBe('not_your_case');
    expect((await c.h.services.store.getCase(k.id))?.priority).toBe(3);

    const res = await edit(alice, { category: 'logistics', priority: 1, resolution: 'reship', reason: '顾客补充说明是快递压坏' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ category: 'logistics', priority: 1, resolution: 'reship', changes: [{ field: 'category', from: 'quality', to: 'logistics' }, { field: 'priority', from: 3, to: 1 }, { field: 'resolution', from: null, to: 'reship' }] });
    const detail = (await (await alice(`/api/cases/${k.id}`)).json()) as { actions: { edit: boolean }; packet: { events: { type: string; actorName: string | null; data: { reason?: string } }[] } };
    expect(detail.actions.edit).toBe(true);
    expect(detail.packet.events.find((e) => e.type === 'edited')).toMatchObject({ data: { reason: '顾客补充说明是快递压坏' }, actorName: expect.any(String) });
    // A supervisor corrects anyone's case; a case the bot is still collecting is not edited.
    expect((await edit(boss, { priority: 2, reason: '主管复核' })).status).toBe(200);
    const collecting = await makeCase(c.h, { status: 'collecting' });
    expect(await errorCode(await boss(`/api/cases/${collecting.id}/edit`, { method: 'POST', body: { priority: 1, reason: '测试一下' } }))).toBe('not_editable');
  });
});

describe('beside the case', () => {
  it('lists the customer’s other cases, on other channels by the same order', async () => {
    const { store } = c.h.services;
    const k = await makeCase(c.h, { assignee: aliceId });
    const earlier = await store.createCase({ channel: 'web', customerId: k.customerId, conversationId: k.conversationId, category: 'logistics', status: 'resolved' });
    const dy = await store.getOrCreateConversation({ channel: 'douyin', key: `dy-${k.id}`, customerId: (await store.upsertCustomer({ channel: 'douyin', platformUserId: `dy-${k.id}` })).id });
    await store.updateCase(k.id, (await store.getCase(k.id))!.version, { orderId: `ord-${k.id}` });
    const other = await store.createCase({ channel: 'douyin', customerId: `dy-${k.id}`, conversationId: dy.id, orderId: `ord-${k.id}`, status: 'resolved' });
    const detail = (await (await alice(`/api/cases/${k.id}`)).json()) as { related: { id: string; via: string; canOpen: boolean; categoryLabel: string }[] };
    expect(detail.related).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: earlier.id, via: 'customer', canOpen: false, categoryLabel: '物流/运输问题' }),
        expect.objectContaining({ id: other.id, via: 'order', canOpen: false }),
      ]),
    );
    expect(detail.related.map((r) => r.id)).not.toContain(k.id);
  });

  it('labels every stored code in Chinese', async () => {
    const labels = (await (await alice('/api/labels')).json()) as Record<string, Record<string, string>>;
    expect(Object.keys(labels).sort()).toEqual(['category', 'member', 'resolution', 'step']);
    for (const group of Object.values(labels)) {
      for (const [code, text] of Object.entries(group)) {
        expect(text).not.toBe(code);
        expect(text).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    expect(Object.keys(labels.category ?? {})).toEqual([...CASE_CATEGORIES]);
    expect(Object.keys(labels.resolution ?? {})).toEqual([...RESOLUTIONS]);
    expect(labels.resolution?.urge_delivery).toBe('催件');
  });

  it('has a Chinese word in the page for every code the app writes (statuses, channels, history events, task kinds)', async () => {
    // The page's own module, as the browser loads it; the code lists are the ones the writers are typed by.
    const lib = (await import(pathToFileURL(path.resolve('templates/console/console-lib.js')).href)) as Record<'STATUS' | 'CHANNEL' | 'EVENT' | 'TASK', Record<string, string>>;
    const wanted: [Record<string, string>, readonly string[]][] = [
      [lib.STATUS, CASE_STATUSES],
      [lib.CHANNEL, CHANNELS],
      [lib.EVENT, CASE_EVENT_TYPES],
      [lib.TASK, TASK_KINDS],
    ];
    for (const [map, codes] of wanted) {
      const missing = codes.filter((code) => !/[\u4e00-\u9fff]/.test(map[code] ?? ''));
      expect(missing).toEqual([]);
    }
  });
});

describe('replies name the agent', () => {
  it('puts the agent’s display name before their words, once, and not on the API token’s replies', async () => {
    const { store } = c.h.services;
    const k = await makeCase(c.h, { assignee: aliceId });
    const name = (await store.getUser(aliceId))?.displayName as string;
    expect((await alice(`/api/cases/${k.id}/reply`, { method: 'POST', body: { text: '您好，这就为您处理', clientId: 'sig-1' } })).status).toBe(201);
    expect((await alice(`/api/cases/${k.id}/reply`, { method: 'POST', body: { text: `我是${name}，已为您登记`, clientId: 'sig-2' } })).status).toBe(201);
    expect((await token(`/api/cases/${k.id}/reply`, { method: 'POST', body: { text: '系统已为您登记', clientId: 'sig-3' } })).status).toBe(201);
    const texts = (await store.listOutbound({ conversationId: k.conversationId })).filter((o) => o.author === 'agent').map((o) => o.reply.text);
    expect(texts).toEqual(expect.arrayContaining([`【客服${name}】您好，这就为您处理`, `我是${name}，已为您登记`, '系统已为您登记']));
  });
});

describe('going online', () => {
  it('hands an agent at most their free capacity, each case shown to them as new', async () => {
    const carol = await makeUser(c.h, { capacity: 2 });
    const call = client(c.url, { cookie: (await login(c.url, carol.username)).cookie });
    const waiting = await Promise.all([1, 2, 3].map(() => makeCase(c.h)));
    expect((await call('/api/me/presence', { method: 'POST', body: { online: true } })).status).toBe(200);
    const mine = await waitFor(async () => {
      const items = ((await (await call('/api/queue')).json()) as { items: (Entry & { mine: boolean })[] }).items.filter((i) => i.mine);
      return items.length === 2 ? items : null;
    }, { what: 'two cases assigned to carol' });
    expect(mine.every((i) => i.isNew)).toBe(true);
    // Capacity is a ceiling: with three (or more) waiting, carol holds two and the rest stay in the queue.
    expect((await c.h.services.store.listCases({ assignee: carol.id, status: 'assigned' })).items).toHaveLength(2);
    const stillWaiting = await Promise.all(waiting.map((w) => c.h.services.store.getCase(w.id)));
    expect(stillWaiting.filter((w) => w?.status === 'escalated').length).toBeGreaterThanOrEqual(1);
    await call('/api/me/presence', { method: 'POST', body: { online: false } });
  });
});
