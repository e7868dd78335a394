/**
 * SLA timers with TIME_SCALE (15 business minutes → a fraction of a second; the harness is on duty around the
 * clock): a breach is recorded once, alerts the supervisors and reassigns; an agent's reply stops the clock;
 * a restart with the Redis timers gone rebuilds them from the store and still breaches exactly once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Case } from '../../src/core/types.js';
import { replyToCase, setPresence } from '../../src/handoff/actions.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { agent, escalatedCase } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const breaches = async (hh: Harness, c: Case) => (await hh.services.store.listCaseEvents(c.id)).filter((e) => e.type === 'sla_breached');

describe('SLA timers', () => {
  it('first response missed → breach recorded once, supervisor alerted, case reassigned to someone else', async () => {
    h = await startHarness({ env: { TIME_SCALE: '1800' } }); // 15 min → 0.5 s
    const s = h.services;
    const slow = await agent(s, 'slow');
    const c = await escalatedCase(s);
    await waitFor(async () => (await s.store.getCase(c.id))?.assignee === slow.id, { what: 'assigned to slow' });
    const quick = await agent(s, 'quick', { online: false });
    await setPresence(s, quick.id, true);

    await waitFor(async () => (await s.store.getCase(c.id))?.assignee === quick.id, { what: 'reassigned after the breach', timeoutMs: 15_000 });
    const after = (await s.store.getCase(c.id)) as Case;
    expect(after.data.excludedAgents).toEqual([slow.id]);
    const first = (await breaches(h, c)).filter((e) => e.data.sla === 'first');
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(first[0]?.data).toMatchObject({ agent: slow.id, reassigned: true });
    const alerts = await s.store.listAlerts({ kind: 'sla_breach' });
    expect(alerts.filter((a) => a.caseId === c.id).length).toBeGreaterThanOrEqual(1);
    expect(alerts[0]?.title).toMatch(/首次响应超时/);
    expect(alerts.find((a) => a.caseId === c.id)?.text).toMatch(/^[^{}]+｜优先级 \d｜处理人：slow，已重新分配$/);

    // The new agent answers: the clock stops and nothing more is breached.
    await replyToCase(s, { id: quick.id, role: 'agent', name: 'quick' }, c.id, '您好，我来跟进您的问题');
    const answered = (await s.store.getCase(c.id)) as Case;
    expect(answered.data.firstResponseAt).toEqual(expect.any(String));
    const count = (await breaches(h, c)).length;
    await new Promise((r) => setTimeout(r, 1500)); // three more SLA periods at this scale
    expect((await breaches(h, c)).length).toBe(count);
    expect((await s.store.getCase(c.id))?.assignee).toBe(quick.id);
  });

  it('next response: a customer message the agent leaves unanswered breaches the next-response SLA', async () => {
    h = await startHarness({ env: { TIME_SCALE: '1800' } }); // next response 30 min → 1 s
    const s = h.services;
    const a = await agent(s, 'ann');
    const c = await escalatedCase(s, { channel: 'web' });
    await waitFor(async () => (await s.store.getCase(c.id))?.assignee === a.id, { what: 'assigned' });
    await replyToCase(s, { id: a.id, role: 'agent', name: 'ann' }, c.id, '您好，请问还有什么需要补充的吗？');
    const conv = await s.store.getConversation(c.conversationId);
    const customer = await s.store.getCustomer(conv?.customerId as string);
    await s.ingest([
      { channel: 'web', platformMsgId: `m-${c.id}`, conversationKey: conv?.key as string, platformUserId: customer?.platformUserId as string, sentAt: Date.now(), from: 'customer', kind: 'text', text: '还要等多久？', attachments: [], meta: {} },
    ]);
    await waitFor(async () => (await s.store.getCase(c.id))?.data.awaitingReplySince, { what: 'next-response clock started' });
    await waitFor(async () => (await breaches(h as Harness, c)).some((e) => e.data.sla === 'next'), { what: 'next-response breach', timeoutMs: 15_000 });
  });

  it('a restart in the middle of an SLA timer (Redis timers gone) still breaches exactly once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-sla-'));
    // 15 min / 450 → 2 s: long enough to stop the app before the timer fires.
    h = await startHarness({ env: { TIME_SCALE: '450' }, dataDir });
    const a = await agent(h.services, 'night');
    const c = await escalatedCase(h.services);
    await waitFor(async () => (await h?.services.store.getCase(c.id))?.assignee === a.id, { what: 'assigned' });
    const due = Date.parse(String(c.sla?.firstResponseDue));
    expect(due).toBeGreaterThan(Date.now());
    await h.stop();
    expect((await breachesOf(dataDir, c)).length).toBe(0);

    // A fresh queue prefix: the new process sees none of the old delayed jobs, as after losing Redis.
    h = await startHarness({ env: { TIME_SCALE: '450' }, dataDir });
    await waitFor(async () => (await breaches(h as Harness, c)).length > 0, { what: 'breach after restart', timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 500));
    const first = (await breaches(h, c)).filter((e) => e.data.sla === 'first' && e.data.anchor === c.data.escalatedAt);
    expect(first).toHaveLength(1);
    const alerts = (await h.services.store.listAlerts({ kind: 'sla_breach' })).filter((x) => x.caseId === c.id);
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    await h.stop();
    h = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});

async function breachesOf(dataDir: string, c: Case) {
  const { SqliteStore } = await import('../../src/store/sqlite/sqlite-store.js');
  const store = new SqliteStore({ file: path.join(dataDir, 'aftersales.db'), evidenceDir: path.join(dataDir, 'evidence') });
  await store.init();
  const events = (await store.listCaseEvents(c.id)).filter((e) => e.type === 'sla_breached');
  await store.close();
  return events;
}
