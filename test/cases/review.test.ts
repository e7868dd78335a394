/**
 * The middle of a case's life against the real app (console API, assigner, outbox, Redis, SQLite): a filed case
 * reaches the review queue and an online agent; approve exchange + compensation, record the reshipment; each step
 * reaches the shopper; refused moves are coded 409s; and the stuck-case scenarios of issue #14 do not stick.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { escalate } from '../../src/cases/escalate.js';
import type { Case } from '../../src/core/types.js';
import type { Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/harness.js';
import { fileCase } from './helpers.js';
import { client, errorCode, login, makeUser, startConsole, type Call, type ConsoleHarness } from '../console/console-harness.js';

let c: ConsoleHarness;
let boss: Call;

beforeAll(async () => {
  c = await startConsole();
  const s = await makeUser(c.h, { role: 'supervisor' });
  boss = client(c.url, { cookie: (await login(c.url, s.username)).cookie });
});
afterAll(async () => c?.stop());
// Each test brings its own people: agents left online would take the next test's filed case first.
afterEach(async () => {
  for (const u of await c.h.services.store.listUsers()) if (u.online) await c.h.services.store.updateUser(u.id, { online: false });
});

const shopperTexts = async (h: Harness, k: Case): Promise<string[]> =>
  (await h.services.store.listOutbound({ conversationId: k.conversationId, limit: 50 })).map((r) => r.reply.text);

async function agentCall(online = true): Promise<{ call: Call; id: string }> {
  const u = await makeUser(c.h, { online });
  return { call: client(c.url, { cookie: (await login(c.url, u.username)).cookie }), id: u.id };
}

describe('review and execution', () => {
  it('a filed case reaches an online agent, who approves exchange + compensation and records the reshipment; the shopper hears each step', async () => {
    const ann = await agentCall();
    const k = await fileCase(c.h);
    expect(k.sla).toMatchObject({ firstResponseDue: expect.any(String), decisionDue: expect.any(String) });
    await waitFor(async () => (await c.h.services.store.getCase(k.id))?.assignee === ann.id, { what: 'filed case assigned' });

    const approved = await ann.call(`/api/cases/${k.id}/approve`, { method: 'POST', body: { resolutions: ['exchange', 'compensation'] } });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'approved', resolution: 'exchange', decision: { verdict: 'approved', resolutions: ['exchange', 'compensation'] } });
    const twice = await ann.call(`/api/cases/${k.id}/reject`, { method: 'POST', body: { reason: '不符合' } });
    expect(twice.status).toBe(409);
    expect(await errorCode(twice)).toBe('already_decided');

    const noNumber = await ann.call(`/api/cases/${k.id}/steps`, { method: 'POST', body: { kind: 'reship_tracking', clientId: 's1' } });
    expect(noNumber.status).toBe(400);
    const step = { kind: 'reship_tracking', trackingNo: 'SF1234567890123', carrier: '顺丰', clientId: 's1' };
    expect((await ann.call(`/api/cases/${k.id}/steps`, { method: 'POST', body: step })).status).toBe(201);
    const again = await ann.call(`/api/cases/${k.id}/steps`, { method: 'POST', body: step });
    expect((await again.json()) as { status: string; steps: unknown[] }).toMatchObject({ status: 'executing', steps: [{ kind: 'reship_tracking', trackingNo: 'SF1234567890123' }] });
    // The deadlines and the timeline are the case's own typed fields, not keys of its data.
    const stored = await c.h.services.store.getCase(k.id);
    expect(stored?.steps).toEqual([expect.objectContaining({ kind: 'reship_tracking', key: 's1', by: ann.id })]);
    expect(stored?.sla).toMatchObject({ breaches: [] });
    expect(stored?.data).not.toHaveProperty('sla');
    expect(stored?.data).not.toHaveProperty('steps');

    const texts = await shopperTexts(c.h, k);
    expect(texts.filter((t) => t.includes('审核通过') && t.includes('换货') && t.includes('补偿'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('SF1234567890123'))).toHaveLength(1);

    expect((await ann.call(`/api/cases/${k.id}/resolve`, { method: 'POST', body: {} })).status).toBe(200);
    const resolveAgain = await ann.call(`/api/cases/${k.id}/resolve`, { method: 'POST', body: {} });
    expect(resolveAgain.status).toBe(409);
    expect(await errorCode(resolveAgain)).toBe('already_resolved');
    expect((await c.h.services.store.listCaseEvents(k.id)).filter((e) => e.type === 'resolved')).toHaveLength(1);
  });

  it('a rejection needs a reason, and the shopper reads it', async () => {
    const bo = await agentCall(false);
    const k = await fileCase(c.h);
    expect((await bo.call(`/api/cases/${k.id}/claim`, { method: 'POST', body: {} })).status).toBe(200);
    const empty = await bo.call(`/api/cases/${k.id}/reject`, { method: 'POST', body: { reason: '  ' } });
    expect(empty.status).toBe(400);
    expect((await c.h.services.store.getCase(k.id))?.status).toBe('assigned');
    expect((await bo.call(`/api/cases/${k.id}/reject`, { method: 'POST', body: { reason: '商品已超过七天无理由退货期' } })).status).toBe(200);
    expect((await shopperTexts(c.h, k)).some((t) => t.includes('没有通过审核') && t.includes('超过七天'))).toBe(true);
  });
});

describe('stuck cases', () => {
  it('a reopened case goes back to the queue without its old assignee, and the one agent online gets it again', async () => {
    const solo = await agentCall();
    const k = await fileCase(c.h);
    await waitFor(async () => (await c.h.services.store.getCase(k.id))?.assignee === solo.id, { what: 'assigned' });
    expect((await solo.call(`/api/cases/${k.id}/resolve`, { method: 'POST', body: {} })).status).toBe(200);
    const reopened = await escalate(c.h.services, { conversationId: k.conversationId, caseId: k.id, reason: 'low_score', key: `reopen-${k.id}`, actor: 'system' });
    expect(reopened.case).toMatchObject({ status: 'escalated', assignee: null });
    await waitFor(async () => (await c.h.services.store.getCase(k.id))?.assignee === solo.id, { what: 'the single agent has it again' });
    expect((await solo.call(`/api/cases/${k.id}`)).status).toBe(200);
  });

  it('reassigning a case to the agent who has it, or to another, works', async () => {
    const a = await agentCall(false);
    const b = await agentCall(false);
    const k = await fileCase(c.h);
    expect((await a.call(`/api/cases/${k.id}/claim`, { method: 'POST', body: {} })).status).toBe(200);
    const same = await boss(`/api/cases/${k.id}/assign`, { method: 'POST', body: { userId: a.id } });
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ assignee: a.id, status: 'assigned' });
    const other = await boss(`/api/cases/${k.id}/assign`, { method: 'POST', body: { userId: b.id } });
    expect(await other.json()).toMatchObject({ assignee: b.id, status: 'assigned' });
  });

  // A message nobody answered before the hand-back is answered by the bot: test/handoff/handback.test.ts.
  it('handing back to the bot tells the shopper who answers now', async () => {
    const a = await agentCall(false);
    const k = await fileCase(c.h);
    expect((await a.call(`/api/cases/${k.id}/claim`, { method: 'POST', body: {} })).status).toBe(200);
    expect((await a.call(`/api/cases/${k.id}/handback`, { method: 'POST', body: {} })).status).toBe(200);
    expect((await c.h.services.store.getConversation(k.conversationId))?.mode).toBe('bot');
    expect((await shopperTexts(c.h, k)).filter((t) => t.includes('智能助手') && t.includes('每一步进展'))).toHaveLength(1);
  });
});
