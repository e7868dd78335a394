/**
 * Acceptance through the web simulator (the whole app, real Redis and SQLite, TIME_SCALE so the 10-minute
 * survey delay is 100 ms): resolve → survey → 5 closes with csat 5 and asks for the showcase; 2 reopens,
 * escalates and raises the priority; a complaint reopens; anything else reaches the dialogue; 抖店 退款成功
 * ties the follow-up visit to the refund.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doudianEventProcessor } from '../../handlers/jobs/doudian-event.js';
import { followupTimerHandlers, readPlan } from '../../src/followup/index.js';
import { SURVEY_TIMER, VISIT_TIMER, surveyOutboxKey, timerJobId } from '../../src/followup/plan.js';
import type { Conversation } from '../../src/store/types.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { WebCustomer } from '../dialogue/web-customer.js';
import { openCase, resolveCase } from './helpers.js';

const TIME_SCALE = 6000;
const DAY = 24 * 3600 * 1000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { TIME_SCALE: String(TIME_SCALE) } });
});
afterAll(async () => h?.stop());

async function customer(id: string): Promise<{ c: WebCustomer; conv: Conversation }> {
  const c = new WebCustomer(h, id);
  await c.say('你好');
  const conv = await waitFor(() => h.services.store.findConversation('web', id));
  return { c, conv };
}

/** Resolves the case and returns the survey as the shopper sees it. */
async function resolvedWithSurvey(c: WebCustomer, caseId: string) {
  const before = (await c.botLines()).length;
  await resolveCase(h.services, caseId);
  return c.nextReply(before);
}

const eventsOf = async (caseId: string) => h.services.store.listCaseEvents(caseId);

describe('satisfaction survey on the web simulator', () => {
  it('resolve → survey → 5: closed with csat 5, thanks, and the review shown with consent', async () => {
    const { c, conv } = await customer('fu-web-visitor-1');
    const kase = await openCase(h.services, conv);

    const survey = await resolvedWithSurvey(c, kase.id);
    expect(survey.text).toContain('尾号0031');
    expect(survey.choices.map((x) => x.id)).toEqual(['csat-5', 'csat-4', 'csat-3', 'csat-2', 'csat-1']);
    expect(survey.choices[0]?.label).toBe('5分 非常满意');

    const thanks = await c.click('csat-5');
    expect(thanks.text).toMatch(/谢谢|感谢/);
    expect(thanks.choices.map((x) => x.id)).toEqual(['showcase-yes', 'showcase-no']);
    const closed = await h.services.store.getCase(kase.id);
    expect(closed).toMatchObject({ status: 'closed', csat: 5, reopenCount: 0 });
    expect(closed?.data).toMatchObject({
      closedAt: expect.any(String),
      survey: { sentAt: expect.any(String), answeredAt: expect.any(String), score: 5, words: '5分 非常满意' },
    });

    const bye = await c.click('showcase-yes');
    expect(bye.choices).toEqual([]);
    const shown = await h.services.store.getCase(kase.id);
    expect(shown?.data.showcase).toEqual({ consent: true, words: '5分 非常满意', at: expect.any(String) });

    const types = (await eventsOf(kase.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['survey_sent', 'csat', 'closed', 'showcase']));
    const out = await h.services.store.listOutbound({ conversationId: conv.id });
    expect(out.filter((o) => o.key === surveyOutboxKey(kase.id, 1))).toHaveLength(1);
    expect(out.every((o) => o.status === 'sent')).toBe(true);
  });

  it('another case → 2: reopened, back in the escalation queue with the score and the words, priority raised', async () => {
    const { c, conv } = await customer('fu-web-visitor-2');
    const kase = await openCase(h.services, conv, { priority: 2 });
    await resolvedWithSurvey(c, kase.id);

    const notice = await c.say('2');
    expect(notice.text).toMatch(/抱歉/);
    const reopened = await h.services.store.getCase(kase.id);
    expect(reopened).toMatchObject({ status: 'escalated', priority: 1, reopenCount: 1, csat: 2 });
    expect(reopened?.data).toMatchObject({ survey: { score: 2, words: '2' }, reopenedAt: expect.any(String), escalatedAt: expect.any(String) });
    const reopenedEvent = (await eventsOf(kase.id)).find((e) => e.type === 'reopened');
    expect(reopenedEvent?.data).toMatchObject({ score: 2, words: '2', why: 'low_score' });
    expect((await eventsOf(kase.id)).some((e) => e.type === 'escalated')).toBe(true);
    expect((await h.services.store.getConversation(conv.id))?.mode).toBe('human');
    const alerts = await h.services.store.listAlerts({ kind: 'low_csat' });
    expect(alerts.filter((a) => a.caseId === kase.id)).toHaveLength(1);

    // Pending follow-ups of that resolution are cancelled, and a late alarm of it does nothing.
    const plan = readPlan(reopened ?? { data: {} });
    expect(plan).toMatchObject({ round: 1, cancelledAt: expect.any(String), visit: { status: 'cancelled' }, awaiting: null });
    expect(await h.services.queues.get('timer').getJob(timerJobId(VISIT_TIMER, kase.id, { round: 1, n: 0, basis: 'resolved' }))).toBeUndefined();
    const handlers = followupTimerHandlers(h.services.data);
    const stale = { kind: SURVEY_TIMER, subjectId: kase.id, dueAt: Date.now(), payload: { round: 1, n: 0 } };
    expect(await handlers[SURVEY_TIMER]?.(h.services, stale)).toBe('skipped');

    // Resolved again: a new round, but this customer was surveyed within the cooldown.
    await resolveCase(h.services, kase.id);
    const again = await waitFor(async () => {
      const p = readPlan((await h.services.store.getCase(kase.id)) ?? { data: {} });
      return p?.round === 2 && p.survey.status !== 'scheduled' ? p : null;
    });
    expect(again.survey).toMatchObject({ status: 'skipped', reason: 'cooldown' });
    expect(await h.services.store.getOutbound(surveyOutboxKey(kase.id, 2))).toBeNull();
  });

  it('a new complaint while the survey is pending reopens the case', async () => {
    const { c, conv } = await customer('fu-web-visitor-3');
    const kase = await openCase(h.services, conv, { priority: 3 });
    await resolvedWithSurvey(c, kase.id);

    const notice = await c.say('杯子又坏了，还是漏水');
    expect(notice.text).toMatch(/重新|抱歉|不好意思/);
    const reopened = await h.services.store.getCase(kase.id);
    expect(reopened).toMatchObject({ status: 'escalated', priority: 2, reopenCount: 1, csat: null });
    expect((await eventsOf(kase.id)).find((e) => e.type === 'reopened')?.data).toMatchObject({ why: 'complaint', score: null, words: '杯子又坏了，还是漏水' });
  });

  it('anything else goes to the dialogue and the survey keeps waiting; full-width 4 then closes it', async () => {
    const { c, conv } = await customer('fu-web-visitor-4');
    const kase = await openCase(h.services, conv);
    const survey = await resolvedWithSurvey(c, kase.id);

    const other = await c.say('你好');
    expect(other.text).not.toBe(survey.text);
    expect(other.choices.map((x) => x.id)).not.toContain('showcase-yes');
    expect((await h.services.store.getCase(kase.id))?.status).toBe('resolved');
    expect(readPlan((await h.services.store.getCase(kase.id)) ?? { data: {} })?.awaiting?.what).toBe('survey');

    await c.say('４');
    expect(await h.services.store.getCase(kase.id)).toMatchObject({ status: 'closed', csat: 4 });
    // The consent question is not answered: the next message goes to the dialogue and nothing is shown.
    await c.say('请问运费谁出');
    const after = await h.services.store.getCase(kase.id);
    expect(after?.data.showcase).toBeUndefined();
    expect(readPlan(after ?? { data: {} })?.awaiting).toBeNull();
  });
});

describe('抖店 退款成功 and the follow-up visit', () => {
  // The production 'doudian-event' processor (no 抖店 client: a 206 needs none).
  const refund = (msgId: string, orderId: string) =>
    doudianEventProcessor(h.services, null)({ data: { msgId, tag: '206', data: JSON.stringify({ p_id: orderId, aftersale_id: `as-${msgId}`, aftersale_type: 1, refund_amount: 5900 }) } });
  const visitDelay = Math.round(DAY / TIME_SCALE);

  it('a case resolved by the refund gets the survey and a visit one (scaled) day after the refund', async () => {
    const { c, conv } = await customer('fu-web-visitor-5');
    const kase = await openCase(h.services, conv, { orderId: '6912000000000000055' });
    const before = (await c.botLines()).length;
    await refund('fu-m206-5', '6912000000000000055');
    const resolved = await h.services.store.getCase(kase.id);
    expect(resolved?.data).toMatchObject({ resolvedBy: 'doudian', refundSucceededAt: expect.any(String) });
    const plan = readPlan(resolved ?? { data: {} });
    expect(plan?.visit).toMatchObject({ basis: 'refund', status: 'scheduled', dueAt: Date.parse(String(resolved?.data.refundSucceededAt)) + visitDelay });
    // The refund notice and the survey both reach the shopper.
    await waitFor(async () => (await c.botLines()).length >= before + 2 && (await c.botLines()).every((l) => l.status === 'sent'));
    expect((await c.botLines()).some((l) => (l.choices ?? []).some((x) => x.id === 'csat-5'))).toBe(true);
  });

  it('a refund after a person resolved the case re-ties the scheduled visit to the refund', async () => {
    const { conv } = await customer('fu-web-visitor-6');
    const kase = await openCase(h.services, conv, { orderId: '6912000000000000066' });
    await resolveCase(h.services, kase.id);
    const first = readPlan((await h.services.store.getCase(kase.id)) ?? { data: {} });
    expect(first?.visit.basis).toBe('resolved');
    await refund('fu-m206-6', '6912000000000000066');
    const plan = readPlan((await h.services.store.getCase(kase.id)) ?? { data: {} });
    expect(plan).toMatchObject({ round: 1, visit: { basis: 'refund', status: 'scheduled' } });
    const timers = h.services.queues.get('timer');
    expect(await timers.getJob(timerJobId(VISIT_TIMER, kase.id, { round: 1, n: 0, basis: 'resolved' }))).toBeUndefined();
    expect(await timers.getJob(timerJobId(VISIT_TIMER, kase.id, { round: 1, n: 0, basis: 'refund' }))).toBeDefined();
  });
});
