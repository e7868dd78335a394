/**
 * The rest of the loop on the web simulator, with days shrunk to a third of a second (TIME_SCALE 259200):
 * an unanswered survey closes the case with csat null after the answer timeout, then the follow-up visit
 * (回访) asks whether the problem is really solved; 「还没解决」 reopens, 「解决了」 thanks. A customer busy with
 * another case is not surveyed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlan } from '../../src/followup/index.js';
import { surveyOutboxKey } from '../../src/followup/plan.js';
import type { Conversation } from '../../src/store/types.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { WebCustomer } from '../dialogue/web-customer.js';
import { openCase, resolveCase } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { TIME_SCALE: '259200' } });
});
afterAll(async () => h?.stop());

async function customer(id: string): Promise<{ c: WebCustomer; conv: Conversation }> {
  const c = new WebCustomer(h, id);
  await c.say('你好');
  return { c, conv: await waitFor(() => h.services.store.findConversation('web', id)) };
}

const caseOf = async (id: string) => waitFor(() => h.services.store.getCase(id));

/** Resolve, see the survey, leave it unanswered until the case closes, then see the visit. */
async function throughToVisit(c: WebCustomer, caseId: string) {
  const start = (await c.botLines()).length;
  await resolveCase(h.services, caseId);
  const survey = await c.nextReply(start);
  expect(survey.choices.map((x) => x.id)).toContain('csat-5');
  const closed = await waitFor(async () => {
    const k = await caseOf(caseId);
    return k.status === 'closed' ? k : null;
  }, { what: 'the no-answer close' });
  const visit = await c.nextReply(start + 1);
  return { closed, visit };
}

describe('no answer, then the follow-up visit', () => {
  it('closes with csat null, then 「还没解决」 to the visit reopens the case', async () => {
    const { c, conv } = await customer('fu-visit-visitor-1');
    const kase = await openCase(h.services, conv, { priority: 3 });
    const { closed, visit } = await throughToVisit(c, kase.id);
    expect(closed).toMatchObject({ status: 'closed', csat: null });
    expect(closed.data).toMatchObject({ closedAt: expect.any(String), closedBy: 'no_answer', survey: { score: null, answeredAt: null } });
    expect(readPlan(closed)?.survey.status).toBe('expired');
    expect((await h.services.store.listCaseEvents(kase.id)).find((e) => e.type === 'closed')?.data).toMatchObject({ reason: 'no_answer', csat: null });

    expect(visit.text).toMatch(/解决|处理好/);
    expect(visit.choices.map((x) => x.id)).toEqual(['visit-solved', 'visit-unsolved']);
    const notice = await c.say('还没解决');
    expect(notice.text).toMatch(/重新|抱歉|不好意思/);
    const reopened = await caseOf(kase.id);
    expect(reopened).toMatchObject({ status: 'escalated', priority: 2, reopenCount: 1, csat: null });
    expect(reopened.data).toMatchObject({ visit: { solved: false, words: '还没解决' } });
    expect((await h.services.store.listCaseEvents(kase.id)).find((e) => e.type === 'reopened')?.data).toMatchObject({ why: 'unsolved', words: '还没解决' });
    expect((await h.services.store.getConversation(conv.id))?.mode).toBe('human');
  });

  it('「解决了」 to the visit thanks the customer and records it', async () => {
    const { c, conv } = await customer('fu-visit-visitor-2');
    const kase = await openCase(h.services, conv);
    await throughToVisit(c, kase.id);
    const thanks = await c.click('visit-solved');
    expect(thanks.text).toMatch(/谢谢|感谢|放心/);
    const after = await caseOf(kase.id);
    expect(after).toMatchObject({ status: 'closed', reopenCount: 0 });
    expect(after.data).toMatchObject({ visit: { sentAt: expect.any(String), answeredAt: expect.any(String), solved: true, words: '解决了' } });
    expect(readPlan(after)).toMatchObject({ visit: { status: 'answered' }, awaiting: null });
  });
});

describe('a customer busy with another case', () => {
  it('is not surveyed: the survey waits a few times, then is skipped', async () => {
    const { conv } = await customer('fu-visit-visitor-3');
    const done = await openCase(h.services, conv);
    await openCase(h.services, conv, { orderId: '6912000000000000099' });
    await resolveCase(h.services, done.id);
    const plan = await waitFor(async () => {
      const p = readPlan(await caseOf(done.id));
      return p && p.survey.status !== 'scheduled' ? p : null;
    });
    expect(plan.survey).toMatchObject({ status: 'skipped', reason: 'busy', n: 3 });
    expect(await h.services.store.getOutbound(surveyOutboxKey(done.id, 1))).toBeNull();
  });
});
