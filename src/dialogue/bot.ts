/**
 * The intake dialogue as the pipeline's BotHandler. Around the pure step it does the I/O: reads the
 * customer's cases, checks order ids with 抖店 when configured, creates or escalates the case, renders the
 * reply and schedules the idle timers. Every side effect is keyed by the inbox row id, so a re-run of the
 * same message (after a crash or a lost compare-and-set) finds its own work instead of repeating it.
 */
import { CASE_CATEGORIES, type Case, type CaseCategory } from '../core/types.js';
import type { OrderCheck, OrderLookup } from '../core/order-lookup.js';
import { readShipments } from '../channels/doudian/order-events.js';
import { attachEvidence, createCaseFromIntake } from '../cases/create.js';
import { caseCustomerId, listCustomerCases } from '../cases/customer.js';
import { CLARIFY_THRESHOLD, type Nlu } from '../nlu/index.js';
import type { BotContext, BotHandler, BotOutput } from '../pipeline/bot.js';
import type { ConversationMode } from '../store/types.js';
import type { TemplateBook, TemplateVars } from '../../templates/render.js';
import { caseRef, isActive } from './answers.js';
import { alertUrgentCase, enterReview } from '../handoff/queue-entry.js';
import { step } from './flow.js';
import { loadLexicon, type Lexicon } from './lexicon.js';
import { amendCase } from './amend-case.js';
import type { Effect, FlowCtx, Say } from './outcome.js';
import type { Policies } from './policies.js';
import { loadQa, type QaBook } from './qa.js';
import { labeler, renderReply, seedOf } from './replies.js';
import { collecting, newIntake, readState, type DialogueState, type Intake } from './state.js';
import { scheduleIntakeTimers } from './timers.js';
import { applyArrival, scheduleUrgeCheck } from './urge.js';
import { understand } from './turn.js';

export interface DialogueDeps {
  nlu: Nlu;
  policies: Policies;
  templates: TemplateBook;
  lexicon?: Lexicon;
  /** The shop's Q&A pairs (config/qa.json); default loaded from there. */
  qa?: QaBook;
  /** The shop's order look-ups (抖店 when configured); absent = order ids are checked by format only. */
  orders?: OrderLookup | null;
  clarifyThreshold?: number;
}

const MAX_ORDER_CHECKS = 3;

async function checkOrders(orders: OrderLookup, ids: string[]): Promise<Record<string, OrderCheck>> {
  const out: Record<string, OrderCheck> = {};
  for (const id of ids.slice(0, MAX_ORDER_CHECKS)) out[id] = await orders.check(id);
  return out;
}

function recentOrdersOf(cases: Case[]): FlowCtx['recentOrders'] {
  const seen = new Map<string, string | null>();
  for (const c of cases) {
    if (!c.orderId || seen.has(c.orderId)) continue;
    const order = c.data.order as { productName?: unknown } | null | undefined;
    seen.set(c.orderId, typeof order?.productName === 'string' ? order.productName : null);
  }
  return [...seen].map(([orderId, productName]) => ({ orderId, productName }));
}

const hasContent = (i: Intake | null): i is Intake =>
  i !== null && (i.category !== null || i.orderId !== null || i.description !== null || i.evidence.length > 0);

interface Applied {
  state: DialogueState;
  globals: TemplateVars;
  mode?: ConversationMode;
  /** Said instead of the step's words, when the effect could not be done as the step expected. */
  say?: Say[];
}

/** Carries out the step's side effect; returns the variables the reply needs (case reference, wait time). */
async function applyEffect(deps: DialogueDeps, ctx: BotContext, effect: Effect, state: DialogueState, cases: Case[]): Promise<Applied> {
  const { row, conversation, customer, services: s } = ctx;
  const base = {
    conversationId: conversation.id,
    channel: conversation.channel,
    customerId: caseCustomerId(customer, conversation),
    key: row.id,
    policies: deps.policies,
    memberLevel: customer?.memberLevel ?? null,
    now: s.clock.now(),
  };
  const p = deps.policies;
  if (effect.type === 'submit') {
    const c = await createCaseFromIntake(s, { ...base, intake: effect.intake, how: 'filed' });
    const why = Array.isArray(c.data.priorityReasons) ? (c.data.priorityReasons as string[]).join(', ') : 'priority 1';
    await alertUrgentCase(s, c, why || 'priority 1');
    if (c.resolution === 'urge_delivery') await scheduleUrgeCheck(s, { caseId: c.id, policies: p });
    // The review queue's decision time (config/handoff.json), not a figure of its own: what the shop commits to.
    const reviewHours = (await enterReview(s, c)).decisionHours;
    return { state: { ...state, lastCaseId: c.id }, globals: { caseRef: caseRef(c.id), reviewHours } };
  }
  if (effect.type === 'attach') {
    await attachEvidence(s, effect.caseId, effect.evidence);
    return { state, globals: { caseRef: caseRef(effect.caseId) } };
  }
  if (effect.type === 'amend') {
    const done = await amendCase(s, { caseId: effect.caseId, change: effect.change, key: row.id });
    return { state, globals: { caseRef: caseRef(effect.caseId) }, ...(done ? {} : { say: [{ key: 'amend.taken' }] }) };
  }
  if (effect.type === 'arrival') {
    await applyArrival(s, { caseId: effect.caseId, arrived: effect.arrived, resolution: effect.resolution, key: row.id });
    return { state, globals: { caseRef: caseRef(effect.caseId) } };
  }
  // Escalation: what was collected becomes the case the person picks up; otherwise the open case, or a new one.
  // The words that caused it still say what the problem is and which order: the person must not ask again.
  const said = (i: Intake): Intake => ({
    ...i,
    category: i.category ?? effect.category ?? guessCategory(deps, effect.text),
    orderId: i.orderId ?? effect.orderIds[0] ?? null,
  });
  let caseId: string | null;
  if (hasContent(effect.intake)) {
    caseId = (await createCaseFromIntake(s, { ...base, intake: said(effect.intake), how: 'escalated', risk: effect.risk })).id;
  } else {
    caseId = cases.find((c) => c.conversationId === conversation.id && isActive(c))?.id ?? null;
    if (!caseId) {
      const intake = said({ ...newIntake(row.id), description: effect.text.slice(0, p.intake.descriptionMaxChars) || null });
      caseId = (await createCaseFromIntake(s, { ...base, intake, how: 'escalated', risk: effect.risk })).id;
    }
  }
  const done = await ctx.handOver({ caseId, reason: effect.reason, risk: effect.risk, ...(effect.urgent ? { priority: p.priority.urgent } : {}) });
  return {
    state: { ...state, lastCaseId: done.caseId },
    globals: { caseRef: caseRef(done.caseId), handoffMinutes: done.handoffMinutes, handoffWhen: done.handoffWhen },
    mode: 'human',
  };
}

const NOT_PROBLEMS = new Set(['human', 'greeting', 'thanks', 'other']);

/**
 * 「我要找人工，快递三天没动了」: the request for a person outweighs the problem for the classifier. Classify the
 * message's other clauses alone to name the category for the person who takes over.
 */
function guessCategory(deps: DialogueDeps, text: string): CaseCategory | null {
  const clauses = text.split(/[，,。.!！?？;；\n]+/).map((c) => c.trim()).filter(Boolean);
  const rest = clauses.filter((c) => !NOT_PROBLEMS.has(deps.nlu.analyze(c).intent));
  if (rest.length === 0) return null;
  const a = deps.nlu.analyze(rest.join('，'));
  const threshold = deps.clarifyThreshold ?? CLARIFY_THRESHOLD;
  return (CASE_CATEGORIES as readonly string[]).includes(a.intent) && a.confidence >= threshold ? (a.intent as CaseCategory) : null;
}

export function createDialogueBot(deps: DialogueDeps): BotHandler {
  const lexicon = deps.lexicon ?? loadLexicon();
  const threshold = deps.clarifyThreshold ?? CLARIFY_THRESHOLD;
  const text = labeler(deps.templates);
  const turnDeps = { analyze: (t: string) => deps.nlu.analyze(t), clarifyThreshold: threshold, policies: deps.policies, lexicon, qa: deps.qa ?? loadQa() };

  return async (ctx): Promise<BotOutput> => {
    const { message, row, conversation, customer, services: s } = ctx;
    const prev = readState(conversation.state);
    const now = s.clock.now();
    const turn = understand(message, prev.offered, row.id, now, turnDeps);
    const fresh = turn.orderIds.filter((id) => id !== prev.intake?.orderId);
    if (deps.orders && fresh.length > 0) turn.orderChecks = await checkOrders(deps.orders, fresh);

    const cases = await listCustomerCases(s.store, { channel: conversation.channel, conversation, customer });
    const flowCtx: FlowCtx = {
      policies: deps.policies,
      now,
      shopName: s.config.shopName,
      cases,
      memberLevel: customer?.memberLevel ?? null,
      recentOrders: recentOrdersOf(cases),
      text,
    };
    if (s.config.doudian) {
      flowCtx.shipments = await readShipments(s.store, [...turn.orderIds, ...cases.flatMap((c) => (c.orderId ? [c.orderId] : []))]);
    }
    const out = step(prev, turn, flowCtx);
    const applied: Applied = out.effect
      ? await applyEffect(deps, ctx, out.effect, out.state, cases)
      : { state: out.state, globals: {} };

    const reply = renderReply(deps.templates, applied.say ?? out.say, out.choices, {
      globals: { shopName: s.config.shopName, ...applied.globals },
      previous: prev.lastReply,
      seed: seedOf(row.id),
    });
    const state: DialogueState = { ...applied.state, lastReply: reply.text };
    if (applied.mode === 'human') {
      // This turn hands the conversation to people, who silence the bot: the "a person will take over" notice
      // speaks with the shop's system voice.
      ctx.reply(reply, { author: 'system' });
      return { state: state as unknown as Record<string, unknown> };
    }
    if (collecting(state)) {
      await scheduleIntakeTimers(s, { conversationId: conversation.id, seq: state.seq, policies: deps.policies });
    }
    ctx.reply(reply);
    return { state: state as unknown as Record<string, unknown> };
  };
}
