/**
 * The bot's side effects are keyed by the inbox row: running it again for the same message (a crash before
 * the pipeline committed, or a lost compare-and-set) gives the same reply and creates nothing twice.
 * It runs with the same context the drain gives it (createBotContext and the app's people hooks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/core/types.js';
import { createDialogueBot } from '../../src/dialogue/bot.js';
import { loadPolicies } from '../../src/dialogue/policies.js';
import { newIntake, readState, freshState, type DialogueState } from '../../src/dialogue/state.js';
import { INTAKE_CLOSE, INTAKE_REMIND, timerJobId } from '../../src/dialogue/timers.js';
import { peopleHooks } from '../../src/handoff/people-hooks.js';
import { createBotContext, type BotContext, type BotHandler } from '../../src/pipeline/bot.js';
import { loadTemplates } from '../../templates/render.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { testClassifier } from '../helpers/classifier.js';

let h: Harness;
let bot: BotHandler;
let n = 0;

beforeAll(async () => {
  const nlu = await testClassifier();
  bot = createDialogueBot({ nlu, policies: loadPolicies(), templates: loadTemplates() });
  // Web role only: no workers, so nothing but this test runs the bot.
  h = await startHarness({ role: 'web', bot });
});
afterAll(async () => h?.stop());

/** Runs the bot on one message the way the drain does: a fresh context, then what it said and did. */
async function run(input: Omit<BotContext, 'reply' | 'handOver' | 'log'>) {
  const turn = createBotContext({ ...input, log: h.services.log }, peopleHooks(h.services));
  const out = await bot(turn.ctx);
  return { lines: turn.lines, state: out?.state, handedOver: turn.handedOver() };
}

async function setup(text: string, state: DialogueState) {
  n += 1;
  const visitor = `bot-rerun-${n}`;
  const { store } = h.services;
  const customer = await store.upsertCustomer({ channel: 'web', platformUserId: visitor });
  const conv0 = await store.getOrCreateConversation({ channel: 'web', key: visitor, customerId: customer.id });
  const conversation = (await store.updateConversation(conv0.id, conv0.version, { state: state as unknown as Record<string, unknown> })) ?? conv0;
  const message: InboundMessage = {
    channel: 'web',
    platformMsgId: `${visitor}:m1`,
    conversationKey: visitor,
    platformUserId: visitor,
    sentAt: Date.now(),
    from: 'customer',
    kind: 'text',
    text,
    attachments: [],
    meta: {},
  };
  const { row } = await store.insertInbound(conversation.id, message);
  const input = { message, turn: [message], row, conversation, customer, services: h.services };
  return { input, conversation };
}

const atConfirm = (): DialogueState => ({
  ...freshState(),
  seq: 4,
  asking: 'confirm',
  intake: { ...newIntake('row-0'), category: 'no_fault_return', orderId: '6912000000000000061', description: '尺码不合适', resolution: 'exchange' },
});

describe('re-running the bot for the same message', () => {
  it('submits one case and answers with the same words', async () => {
    const { input, conversation } = await setup('确认', atConfirm());
    const first = await run(input);
    const second = await run(input);
    expect(first.lines).toHaveLength(1);
    expect(second.lines).toEqual(first.lines);
    expect(second.state).toEqual(first.state);
    const cases = (await h.services.store.listCases({ conversationId: conversation.id })).items;
    expect(cases).toHaveLength(1);
    expect(readState(first.state ?? {}).lastCaseId).toBe(cases[0]?.id);
    expect((await h.services.store.listCaseEvents(cases[0]?.id as string)).filter((e) => e.type === 'created')).toHaveLength(1);
  });

  it('escalates once and sends the hand-over notice once', async () => {
    const state = { ...atConfirm(), asking: 'orderId' as const, intake: { ...newIntake('row-0'), category: 'quality' as const, description: '开线' } };
    const { input, conversation } = await setup('再不处理我去12315投诉', state);
    const first = await run(input);
    const second = await run(input);
    expect(first.handedOver).toBe(true);
    expect(first.lines).toHaveLength(1);
    expect(first.lines[0]?.author).toBe('system');
    expect(first.lines[0]?.reply.text).toMatch(/\d+分钟/);
    expect(second.lines).toEqual(first.lines);
    expect(second.state).toEqual(first.state);
    const [kase, ...more] = (await h.services.store.listCases({ conversationId: conversation.id })).items;
    expect(more).toHaveLength(0);
    expect(kase).toMatchObject({ status: 'escalated', priority: 1, risk: true, category: 'quality' });
    expect((await h.services.store.listCaseEvents(kase?.id as string)).filter((e) => e.type === 'escalated')).toHaveLength(1);
    // The notice leaves through the drain only: the bot wrote nothing to the outbox itself.
    expect(await h.services.store.listOutbound({ conversationId: conversation.id })).toEqual([]);
  });

  it('schedules the idle timers of the turn with deterministic ids', async () => {
    const { input, conversation } = await setup('衣服开线了', freshState());
    const out = await run(input);
    await run(input);
    const seq = readState(out.state ?? {}).seq;
    const q = h.services.queues.get('timer');
    const remind = await q.getJob(timerJobId(INTAKE_REMIND, conversation.id, seq));
    const close = await q.getJob(timerJobId(INTAKE_CLOSE, conversation.id, seq));
    expect(remind?.data).toMatchObject({ kind: INTAKE_REMIND, subjectId: conversation.id, payload: { seq } });
    expect(close?.opts.delay).toBe(30 * 60_000);
    expect(remind?.id).not.toContain(':');
  });
});
