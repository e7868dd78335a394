/**
 * 催件 (issue #15 item 3) through the real app: the case is filed with 催件 and the promised days, the
 * follow-up timer is queued for those days, and when it fires the bot asks whether the parcel came. The
 * answer notes the arrival, applies the wish the shopper gave (「过两天还不到再退款」), or offers the other
 * logistics resolutions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URGE_CHECK, urgeJobId, urgeTimerHandlers } from '../../src/dialogue/urge.js';
import type { Case } from '../../src/core/types.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { WebCustomer } from './web-customer.js';

const DAY = 24 * 3600 * 1000;

describe('催件 and the check after the promised days', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  async function caseOf(c: WebCustomer): Promise<Case> {
    const conv = await waitFor(() => h.services.store.findConversation('web', c.visitorId));
    return waitFor(async () => (await h.services.store.listCases({ conversationId: conv.id })).items[0]);
  }

  /** Runs the queued check now, through the real timer worker; returns the question the shopper got. */
  async function fireCheck(c: WebCustomer, caseId: string): Promise<{ text: string; choices: { id: string }[] }> {
    const job = await h.services.queues.get('timer').getJob(urgeJobId(caseId));
    expect(job?.opts.delay).toBe(Math.round((h.services.data.policies.urgeDelivery.checkAfterDays * DAY) / h.services.config.timeScale));
    const before = (await c.botLines()).length;
    await job?.promote();
    return c.nextReply(before);
  }

  it('promises the days, asks after them, and switches to the refund the shopper asked for if nothing came', async () => {
    const c = new WebCustomer(h, 'urge-visitor-1');
    await c.say('包裹一直卡在中转站');
    await c.say('订单6912000000000000061');
    const wish = await c.say('先催件，过两天还不到再退款');
    expect(wish.text).toMatch(/催件/);
    expect(wish.text).toMatch(/仅退款/);
    // Filed at once: the promise of the days comes with it.
    expect(wish.text).toMatch(/2天后/);
    const filed = await caseOf(c);
    expect(filed.resolution).toBe('urge_delivery');
    expect(filed.data.urge).toEqual({ checkAfterDays: 2, fallback: 'refund' });

    const asked = await fireCheck(c, filed.id);
    expect(asked.text).toMatch(/收到了吗/);
    expect(asked.text).toContain('0061');
    expect(asked.choices.map((x) => x.id)).toEqual(['arrived_yes', 'arrived_no']);

    const answer = await c.say('还没收到');
    expect(answer.text).toMatch(/仅退款/);
    const after = await h.services.store.getCase(filed.id);
    expect(after?.resolution).toBe('refund');
    const events = await h.services.store.listCaseEvents(filed.id);
    expect(events.filter((e) => e.type === 'parcel_not_arrived')).toHaveLength(1);
  });

  it('notes the arrival and changes nothing else', async () => {
    const c = new WebCustomer(h, 'urge-visitor-2');
    await c.say('订单6912000000000000062 四天了还没发货');
    await c.say('帮我催一下快递');
    await c.say('好的');
    const filed = await caseOf(c);
    expect(filed.data.urge).toEqual({ checkAfterDays: 2, fallback: null });
    await fireCheck(c, filed.id);
    const answer = await c.click('arrived_yes');
    expect(answer.text).toMatch(/到了|收到/);
    const after = await h.services.store.getCase(filed.id);
    expect(after?.resolution).toBe('urge_delivery');
    expect(after?.data.urge).toMatchObject({ arrived: true });
  });

  it('offers the other logistics resolutions when nothing came and no wish was given', async () => {
    const c = new WebCustomer(h, 'urge-visitor-3');
    await c.say('订单6912000000000000063 快递一直不动');
    await c.say('催件');
    const filed = await caseOf(c);
    await fireCheck(c, filed.id);
    const offer = await c.say('没到');
    expect(offer.choices.map((x) => x.id)).toEqual(['res_reship', 'res_refund', 'res_return_refund', 'res_compensation']);
    const switched = await c.click('res_reship');
    expect(switched.text).toMatch(/补发/);
    expect((await h.services.store.getCase(filed.id))?.resolution).toBe('reship');
    // The same timer run again (a retried job) asks nothing: the case no longer waits on 催件.
    const lines = (await c.botLines()).length;
    const check = urgeTimerHandlers(h.services.data)[URGE_CHECK];
    expect(await check?.(h.services, { kind: URGE_CHECK, subjectId: filed.id, dueAt: Date.now(), payload: {} })).toBe('skipped');
    expect((await c.botLines()).length).toBe(lines);
  });
});
