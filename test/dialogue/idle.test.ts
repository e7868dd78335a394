/**
 * A customer who goes silent mid-intake: one reminder after the idle time, the intake closed after the close
 * time, both divided by TIME_SCALE and both skipped when the customer wrote in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicies } from '../../src/dialogue/policies.js';
import { readState } from '../../src/dialogue/state.js';
import { INTAKE_CLOSE, INTAKE_REMIND, intakeTimerHandlers } from '../../src/dialogue/timers.js';
import { loadTemplates } from '../../templates/render.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { WebCustomer } from './web-customer.js';

// Policy defaults: reminder after 10 min, close after 30 min → 1 s and 3 s at this scale.
const TIME_SCALE = '600';

describe('idle reminder and closing of an intake', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { TIME_SCALE },
    });
  });
  afterAll(async () => h?.stop());

  it('reminds once, then closes the intake, when the customer stays silent', async () => {
    const c = new WebCustomer(h, 'idle-visitor-1');
    await c.say('衣服开线了');
    await c.say('订单6912000000000000031');
    const lines = await waitFor(async () => {
      const bot = await c.botLines();
      return bot.length >= 4 && bot.every((b) => b.status === 'sent') ? bot : null;
    }, { timeoutMs: 15_000, what: 'reminder and close' });
    const [, , reminder, closed] = lines;
    expect(reminder?.text).toMatch(/照片/); // the open question is asked again
    expect(closed?.text).toMatch(/暂停/);
    expect(closed?.text).toMatch(/保留|不会丢/);
    const conv = await waitFor(() => h.services.store.findConversation('web', 'idle-visitor-1'));
    const state = readState(conv.state);
    expect(state.intake).toBeNull();
    expect(state.asking).toBeNull();
    expect(state.parked?.intake.orderId).toBe('6912000000000000031');
    expect((await h.services.store.listCases({ conversationId: conv.id })).items).toHaveLength(0);
    // Nothing more after the close.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await c.botLines()).toHaveLength(4);

    // Coming back later goes on from where it was: the problem and the order are not asked again.
    const back = await c.say('在吗');
    expect(back.text).toMatch(/接着|继续/);
    expect(back.text).toMatch(/照片/);
    await c.photo();
    const filed = await c.say('退货退款');
    expect(filed.text).toMatch(/提交/);
    const [made] = (await h.services.store.listCases({ conversationId: conv.id })).items;
    expect(made).toMatchObject({ category: 'quality', orderId: '6912000000000000031', resolution: 'return_refund' });
  });

  it('reads a clearly new problem after the idle close as a new intake', async () => {
    const c = new WebCustomer(h, 'idle-visitor-3');
    await c.say('衣服开线了');
    const conv = await waitFor(() => h.services.store.findConversation('web', 'idle-visitor-3'));
    const { seq } = readState(conv.state);
    const handlers = intakeTimerHandlers({ policies: loadPolicies(), templates: loadTemplates() });
    expect(await handlers[INTAKE_CLOSE]?.(h.services, { kind: INTAKE_CLOSE, subjectId: conv.id, dueAt: Date.now(), payload: { seq } })).toBe('closed');
    const back = await c.say('另外一个问题，快递三天没更新了');
    expect(back.text).not.toMatch(/接着|继续/);
    const state = readState((await h.services.store.getConversation(conv.id))?.state ?? {});
    expect(state.intake?.category).toBe('logistics');
    expect(state.parked ?? null).toBeNull();
  });

  it('a timer of an earlier turn does nothing once the customer has answered', async () => {
    const c = new WebCustomer(h, 'idle-visitor-2');
    await c.say('快递一直没更新');
    const conv = await waitFor(() => h.services.store.findConversation('web', 'idle-visitor-2'));
    const staleSeq = readState(conv.state).seq;
    await c.say('订单6912000000000000032');
    const handlers = intakeTimerHandlers({ policies: loadPolicies(), templates: loadTemplates() });
    const job = { subjectId: conv.id, dueAt: Date.now(), payload: { seq: staleSeq } };
    expect(await handlers[INTAKE_REMIND]?.(h.services, { ...job, kind: INTAKE_REMIND })).toBe('skipped');
    expect(await handlers[INTAKE_CLOSE]?.(h.services, { ...job, kind: INTAKE_CLOSE })).toBe('skipped');
    const current = readState((await h.services.store.getConversation(conv.id))?.state ?? {});
    expect(current.intake).not.toBeNull();
    // Run the current close twice (a retried job): one closing message only.
    const now = { ...job, payload: { seq: current.seq }, kind: INTAKE_CLOSE };
    expect(await handlers[INTAKE_CLOSE]?.(h.services, now)).toBe('closed');
    expect(await handlers[INTAKE_CLOSE]?.(h.services, now)).toBe('closed');
    const out = await h.services.store.listOutbound({ conversationId: conv.id });
    expect(out.filter((o) => /暂停/.test(o.reply.text))).toHaveLength(1);
  });
});
