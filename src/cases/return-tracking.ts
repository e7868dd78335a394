/**
 * The bot's part of a return: once the return address step is recorded (its message asks the shopper to send the
 * tracking number), a shopper message that holds a tracking number is recorded as the `return_tracking` step by
 * the bot, and the shopper hears one line naming the carrier and the number. The agent sees the step in the case
 * (by `bot`). Any other message reaches the dialogue unchanged.
 *
 * Idempotent per inbox row: the step's key is the row id, so the drain running the same message again finds its
 * own step and says the same line, instead of recording a second one or passing the number to the dialogue.
 */
import { caseRef } from '../handoff/refs.js';
import type { BotHandler } from '../pipeline/bot.js';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';
import { recordStep } from './execution.js';
import { awaitingReturnTracking, stepVars } from './steps.js';
import { readTrackingNumber } from './tracking-number.js';

/** Cases of one conversation the bot still works on after a decision: a handful at most. */
const EXECUTING_LIMIT = 20;

export function withReturnTracking(inner: BotHandler, deps: { templates: TemplateBook }): BotHandler {
  return async (ctx) => {
    const { message, row, conversation, services: s } = ctx;
    const text = message.from === 'customer' && message.kind === 'text' ? message.text : '';
    const found = text ? readTrackingNumber(text) : null;
    if (!found) return inner(ctx);
    const executing = (await s.store.listCases({ conversationId: conversation.id, status: 'executing', limit: EXECUTING_LIMIT })).items;
    const target = executing.find((c) => c.steps.some((st) => st.key === row.id)) ?? executing.find((c) => awaitingReturnTracking(c));
    if (!target) return inner(ctx);
    const recorded = await recordStep(s, { id: 'bot' }, target.id, { kind: 'return_tracking', trackingNo: found.trackingNo, ...(found.carrier ? { carrier: found.carrier } : {}) }, row.id, { tell: false });
    const step = recorded.steps.find((st) => st.key === row.id);
    if (!step) throw new Error(`return tracking step of inbox row ${row.id} is missing after recording`);
    ctx.log.info({ caseId: target.id, carrier: step.carrier ?? null }, 'return tracking number recorded by the bot');
    ctx.reply(renderTemplate(deps.templates, 'case.step.return_tracking', { ...stepVars(step), caseRef: caseRef(target.id) }, { seed: 0 }));
  };
}
