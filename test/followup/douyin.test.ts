/**
 * Douyin's limits, with the alarms run by hand on a small real stack (SQLite, Redis queues, the real Douyin
 * sender's window check) and a manual clock: a survey inside the 24 h msg_id window goes out; a second
 * proactive message the same day, or any after the window, becomes a person's task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/core/types.js';
import { followupTimerHandlers, readPlan } from '../../src/followup/index.js';
import { SURVEY_TIMER, VISIT_TIMER, surveyOutboxKey, visitOutboxKey } from '../../src/followup/plan.js';
import type { Services } from '../../src/services.js';
import { manualClock } from '../helpers/clock.js';
import { startRig, type Rig } from '../channels/douyin/rig.js';
import { openCase, resolveCase } from './helpers.js';

const clock = manualClock();
const HOUR = 3600_000;
let rig: Rig;
let s: Services;
let handlers: ReturnType<typeof followupTimerHandlers>;

beforeAll(async () => {
  rig = await startRig({ clock });
  s = rig.services;
  handlers = followupTimerHandlers(s.data);
});
afterAll(() => rig?.stop());

/** A Douyin conversation whose customer last wrote `agoMs` before now (that message's msg_id answers). */
async function conversation(openId: string, agoMs: number) {
  const customer = await s.store.upsertCustomer({ channel: 'douyin', platformUserId: openId });
  const at = clock.now() - agoMs;
  const conv = await s.store.getOrCreateConversation({
    channel: 'douyin',
    key: openId,
    customerId: customer.id,
    meta: { msgId: `@msg-${openId}`, msgAt: at, conversationId: `@conv-${openId}` },
  });
  const updated = await s.store.updateConversation(conv.id, conv.version, { lastCustomerAt: at });
  if (!updated) throw new Error('conversation changed');
  return updated;
}

async function fire(kind: typeof SURVEY_TIMER | typeof VISIT_TIMER, caseId: string): Promise<string | undefined> {
  const plan = readPlan((await s.store.getCase(caseId)) as Case);
  if (!plan) throw new Error('no plan');
  const payload = kind === SURVEY_TIMER ? { round: plan.round, n: plan.survey.n } : { round: plan.round, n: plan.visit.n, basis: plan.visit.basis };
  return handlers[kind]?.(s, { kind, subjectId: caseId, dueAt: clock.now(), payload });
}

describe('follow-ups on Douyin', () => {
  it('sends the survey inside the msg_id window, numbered 1→5; the same day a second message becomes a task', async () => {
    const conv = await conversation('dy-fu-1', 2 * HOUR);
    const kase = await openCase(s, conv, { orderId: null });
    await resolveCase(s, kase.id);
    expect(await fire(SURVEY_TIMER, kase.id)).toBe('sent');
    const row = await s.store.getOutbound(surveyOutboxKey(kase.id, 1));
    expect(row).toMatchObject({ channel: 'douyin', author: 'bot', caseId: kase.id, status: 'pending' });
    expect(row?.reply.choices?.map((c) => c.id)).toEqual(['csat-1', 'csat-2', 'csat-3', 'csat-4', 'csat-5']);
    expect(row?.reply.replyTo).toBeUndefined();

    // The visit comes due the same day (shop time): Douyin allows one proactive message a day.
    expect(await fire(VISIT_TIMER, kase.id)).toBe('task');
    const [task] = await s.store.listTasks({ caseId: kase.id });
    expect(task).toMatchObject({ key: `followup:${kase.id}:1`, kind: 'followup', status: 'open' });
    expect(task?.reason).toContain('抖音每位顾客每天的主动消息已达上限（1 条）');
    expect(await s.store.getOutbound(visitOutboxKey(kase.id, 1))).toBeNull();
  });

  it('turns a survey due after the 24 h reply window into a task with the reason', async () => {
    const conv = await conversation('dy-fu-2', 25 * HOUR);
    const kase = await openCase(s, conv);
    await resolveCase(s, kase.id);
    expect(await fire(SURVEY_TIMER, kase.id)).toBe('task');
    const [task] = await s.store.listTasks({ caseId: kase.id });
    expect(task).toMatchObject({ key: `survey:${kase.id}:1`, kind: 'survey', conversationId: conv.id });
    expect(task?.reason).toMatch(/^抖音私信回复窗口已关闭（顾客最后一次发消息在 10月31日 15:00，超过 24 小时）/);
    expect(await s.store.getOutbound(surveyOutboxKey(kase.id, 1))).toBeNull();
    // Running the same alarm again changes nothing (BullMQ is at-least-once).
    expect(await fire(SURVEY_TIMER, kase.id)).toBe('skipped');
    expect(await s.store.listTasks({ caseId: kase.id })).toHaveLength(1);
    // No answer can come: the case still closes after the answer timeout.
    expect(readPlan((await s.store.getCase(kase.id)) as Case)).toMatchObject({ survey: { status: 'task', reason: 'douyin_window' }, closeAt: expect.any(Number) });
  });
});
