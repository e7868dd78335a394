/**
 * Case creation from an intake and escalation on a real SQLite store: contract fields, idempotency per key
 * (a re-run of the same message or job changes nothing more), evidence linking, priority per policy.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachEvidence, createCaseFromIntake } from '../../src/cases/create.js';
import { escalate } from '../../src/cases/escalate.js';
import type { Policies } from '../../src/dialogue/policies.js';
import { loadOperatorData } from '../../src/operator-data.js';
import { newIntake, type Intake } from '../../src/dialogue/state.js';
import { createLogger } from '../../src/log.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Conversation, Evidence } from '../../src/store/types.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-'));
let store: SqliteStore;
let p: Policies;
const data = loadOperatorData();
const deps = () => ({ store, clock: { now: () => Date.now() }, log: createLogger({ level: 'silent' }), data });
let n = 0;

beforeAll(async () => {
  store = new SqliteStore({ file: path.join(dir, 'aftersales.db'), evidenceDir: path.join(dir, 'evidence') });
  await store.init();
  p = data.policies;
});
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function conversation(): Promise<Conversation> {
  n += 1;
  const customer = await store.upsertCustomer({ channel: 'web', platformUserId: `visitor-cases-${n}` });
  return store.getOrCreateConversation({ channel: 'web', key: `visitor-cases-${n}`, customerId: customer.id });
}

async function photo(conv: Conversation, i: number): Promise<Evidence> {
  const bytes = Buffer.from(`photo ${conv.id} ${i}`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return store.addEvidence({ conversationId: conv.id, channel: 'web', kind: 'image', mime: 'image/png', size: bytes.length, sha256, source: null }, bytes);
}

function intakeWith(partial: Partial<Intake>): Intake {
  return { ...newIntake('row-open'), category: 'quality', orderId: '6912000000000000001', description: '衣服开线了', resolution: 'exchange', ...partial };
}

const input = (conv: Conversation, intake: Intake, key = 'row-submit') => ({
  conversationId: conv.id,
  channel: conv.channel,
  customerId: conv.customerId,
  intake,
  key,
  policies: p,
  memberLevel: null,
  now: Date.now(),
});

describe('createCaseFromIntake', () => {
  it('creates the contract case with evidence linked, once per key', async () => {
    const conv = await conversation();
    const e1 = await photo(conv, 1);
    const evidence = [{ id: e1.id, kind: e1.kind, mime: e1.mime, size: e1.size, sha256: e1.sha256 }];
    const first = await createCaseFromIntake(deps(), input(conv, intakeWith({ evidence })));
    const again = await createCaseFromIntake(deps(), input(conv, intakeWith({ evidence })));
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({
      channel: 'web',
      category: 'quality',
      orderId: '6912000000000000001',
      resolution: 'exchange',
      status: 'open',
      priority: 2,
      risk: false,
      assignee: null,
      csat: null,
      reopenCount: 0,
      evidence,
    });
    expect((await store.listCases({ conversationId: conv.id })).items).toHaveLength(1);
    expect((await store.listEvidence({ caseId: first.id })).map((e) => e.id)).toEqual([e1.id]);
    expect((await store.listCaseEvents(first.id)).filter((e) => e.type === 'created')).toHaveLength(1);
    expect(first.data).toMatchObject({ intakeKey: 'row-submit', policy: { evidenceRequired: 1, returnShippingPaidBy: 'shop' } });
  });

  it('a different submission of the same conversation is a new case', async () => {
    const conv = await conversation();
    const a = await createCaseFromIntake(deps(), input(conv, intakeWith({}), 'row-a'));
    const b = await createCaseFromIntake(deps(), input(conv, intakeWith({ orderId: '6912000000000000002' }), 'row-b'));
    expect(a.id).not.toBe(b.id);
  });

  it('priority 1 with the reasons kept: safety hazard, priority member, risk', async () => {
    const conv = await conversation();
    const hazard = await createCaseFromIntake(deps(), input(conv, intakeWith({ safetyHazard: true }), 'row-h'));
    expect(hazard.priority).toBe(1);
    expect(hazard.data.priorityReasons).toEqual(['safety_hazard']);
    const vip = await createCaseFromIntake(deps(), { ...input(conv, intakeWith({}), 'row-v'), memberLevel: 'vip' });
    expect(vip.priority).toBe(1);
    const risky = await createCaseFromIntake(deps(), { ...input(conv, intakeWith({}), 'row-r'), risk: true, how: 'escalated' });
    expect(risky).toMatchObject({ priority: 1, risk: true, status: 'escalated' });
  });

  it('attaches later photos once', async () => {
    const conv = await conversation();
    const c = await createCaseFromIntake(deps(), input(conv, intakeWith({})));
    const e = await photo(conv, 2);
    const ref = { id: e.id, kind: e.kind, mime: e.mime, size: e.size, sha256: e.sha256 };
    await attachEvidence(deps(), c.id, [ref]);
    const after = await attachEvidence(deps(), c.id, [ref]);
    expect(after?.evidence).toEqual([ref]);
    expect((await store.getEvidence(e.id))?.caseId).toBe(c.id);
  });
});

describe('escalate', () => {
  it('marks the case escalated with a one-line reason, raises priority for risk, once per key', async () => {
    const conv = await conversation();
    const c = await createCaseFromIntake(deps(), input(conv, intakeWith({})));
    const first = await escalate(deps(), { conversationId: conv.id, caseId: c.id, reason: 'risky message (regulator:12315)', risk: true, key: 'row-x', fromBot: true, policies: p });
    const again = await escalate(deps(), { conversationId: conv.id, caseId: c.id, reason: 'risky message (regulator:12315)', risk: true, key: 'row-x', fromBot: true, policies: p });
    expect(first.case).toMatchObject({ status: 'escalated', priority: 1, risk: true });
    expect(again.case.version).toBe(first.case.version);
    expect(first.handoffMinutes).toBe(p.expectations.handoffMinutesByPriority['1']);
    const events = (await store.listCaseEvents(c.id)).filter((e) => e.type === 'escalated');
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ reason: 'risky message (regulator:12315)', key: 'row-x' });
    // From the bot the conversation mode is left to the BotOutput.
    expect((await store.getConversation(conv.id))?.mode).toBe('bot');
  });

  it('without a case: takes the open one, or creates a bare escalated case; switches the conversation to people', async () => {
    const conv = await conversation();
    const done = await escalate(deps(), { conversationId: conv.id, reason: 'customer asked for a person', key: 'job-1', actor: 'system', description: '我要找你们主管' });
    expect(done.case).toMatchObject({ status: 'escalated', priority: 2, category: null, description: '我要找你们主管' });
    // contracts.md: the channel's user id, not the internal customer id.
    expect(done.case.customerId).toBe((await store.getCustomer(conv.customerId))?.platformUserId);
    expect(done.case.customerId).not.toBe(conv.customerId);
    expect((await store.getConversation(conv.id))?.mode).toBe('human');
    const second = await escalate(deps(), { conversationId: conv.id, reason: 'again', key: 'job-2' });
    expect(second.case.id).toBe(done.case.id);
    expect((await store.listCaseEvents(done.case.id)).filter((e) => e.type === 'escalated')).toHaveLength(2);
  });

  it('keeps an assigned case with its person and only raises the priority', async () => {
    const conv = await conversation();
    const c = await createCaseFromIntake(deps(), input(conv, intakeWith({})));
    await store.updateCase(c.id, (await store.getCase(c.id))?.version ?? 0, { status: 'assigned', assignee: 'u1' });
    const done = await escalate(deps(), { conversationId: conv.id, caseId: c.id, reason: 'risky message (exposure:曝光)', risk: true, key: 'row-y', fromBot: true });
    expect(done.case).toMatchObject({ status: 'assigned', assignee: 'u1', priority: 1 });
  });
});
