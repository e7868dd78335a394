/**
 * The intake dialogue as a pure step: (state, understood message, context) → new state, what to say, and at
 * most one side effect (submit a case, escalate, attach photos) that the bot carries out. No I/O here, so
 * every path is unit-tested without Redis or a store.
 */
import { CASE_CATEGORIES, RESOLUTIONS, type CaseCategory, type Choice, type Resolution } from '../core/types.js';
import { answerArrival } from './arrival.js';
import { answerPolicy, answerProgress, answerQa, isActive, progressOf, shipmentSay } from './answers.js';
import { applyTurn, categoryChoices, filedVars, nextAsking, question } from './intake.js';
import { amendFiled } from './amend.js';
import { contentLength } from './lexicon.js';
import type { Effect, FlowCtx, Outcome, Say } from './outcome.js';
import { memberPolicyOf, windowVerdict } from './policies.js';
import { collecting, newIntake, SLOTS, type Asking, type DialogueState, type Intake, type Slot } from './state.js';
import type { Turn } from './turn.js';

const isSlot = (v: string): v is Slot => (SLOTS as readonly string[]).includes(v);

function outcome(state: DialogueState, say: Say[], choices: Choice[] = [], effect: Effect | null = null): Outcome {
  return { state: { ...state, offered: choices }, say, choices, effect };
}

export function step(prev: DialogueState, t: Turn, ctx: FlowCtx): Outcome {
  const out = decide(prev, t, ctx);
  // What the Q&A answered is remembered for one reply only: set anew by the Q&A answer, cleared by anything else.
  return out.state.lastAnswers === prev.lastAnswers ? { ...out, state: { ...out.state, lastAnswers: [] } } : out;
}

function decide(prev: DialogueState, t: Turn, ctx: FlowCtx): Outcome {
  const s: DialogueState = { ...prev, seq: prev.seq + 1, failures: { ...prev.failures }, offered: [] };

  if (t.enterSession) {
    if (!s.intake && s.parked) return ask({ ...s, ...unpark(s.parked) }, ctx, s.parked.intake, [{ key: 'idle.resumed' }]);
    if (collecting(s) && s.intake) return ask(s, ctx, s.intake, [{ key: 'greeting.resume' }]);
    return outcome(s, [{ key: 'welcome', vars: { shopName: ctx.shopName } }]);
  }
  // A hazard gets safety advice before anything else, and goes to people as a risky case.
  if (t.safetyAdvice.length > 0 && !t.question) {
    const withHazard: DialogueState = s.intake ? { ...s, intake: { ...s.intake, safetyHazard: true } } : s;
    return escalate(withHazard, { ...t, category: t.category ?? s.intake?.category ?? 'quality' }, { reason: 'safety hazard', risk: true, say: 'escalate.safety', before: t.safetyAdvice });
  }
  // A risky message or a request for a person goes to people at once, whatever was being asked.
  if (t.analysis.risk) {
    return escalate(s, t, { reason: `risky message (${t.analysis.riskReasons.join(', ') || 'risk'})`, risk: true, say: 'escalate.risk' });
  }
  if (t.humanRequest) return escalate(s, t, { reason: 'customer asked for a person', risk: false, say: 'escalate.human' });
  // The answer to "did the parcel arrive?" after 催件.
  const arrival = answerArrival(s, t, ctx);
  if (arrival) return arrival;
  // "算了，不用登记了": nothing is kept open and nothing goes to people.
  if (t.cancel && (s.intake || s.parked)) {
    return outcome({ ...s, intake: null, asking: null, failures: {}, pendingText: null, pickFor: null, parked: null }, [{ key: 'cancel.done' }]);
  }
  // Back after the idle close: go on with what was collected, unless this is clearly another problem.
  if (!s.intake && s.parked) {
    const parked = s.parked;
    s.parked = null;
    if (!isAnotherProblem(parked.intake, t)) {
      const out = continueIntake({ ...s, ...unpark(parked) }, parked.intake, t, ctx);
      return { ...out, say: [{ key: 'idle.resumed' }, ...out.say] };
    }
  }

  // 「订单号发错了，是…」 right after filing: the filed case is corrected, no second case opened.
  const amended = s.intake ? null : amendFiled(s, t, ctx);
  if (amended) return amended;
  if (t.choiceId) {
    const picked = onChoice(s, t, ctx, t.choiceId);
    if (picked) return picked;
  }
  if (s.asking === 'pick_case') {
    // Picking which case the question was about: an order number answers it too.
    if (t.orderIds.length > 0 && s.pickFor === 'progress') {
      const a = answerProgress(ctx, t.orderIds);
      const back: DialogueState = { ...s, asking: s.intake ? nextAsking(ctx.policies, s.intake) : null, pickFor: null };
      return s.intake ? ask(back, ctx, s.intake, [...a.say, { key: 'resume' }]) : outcome(back, a.say);
    }
    s.asking = s.intake ? nextAsking(ctx.policies, s.intake) : null;
    s.pickFor = null;
  }
  if (s.intake) return continueIntake(s, s.intake, t, ctx);
  return route(s, t, ctx);
}

const unpark = (p: NonNullable<DialogueState['parked']>): Pick<DialogueState, 'intake' | 'asking' | 'parked' | 'failures'> => ({ intake: p.intake, asking: p.asking, parked: null, failures: {} });

/** 「还有个问题」, another problem type, or another order than the put-aside intake's. */
function isAnotherProblem(parked: Intake, t: Turn): boolean {
  if (t.anotherCase) return true;
  if (t.category && parked.category && t.category !== parked.category) return true;
  const order = t.orderIds[0];
  return order !== undefined && parked.orderId !== null && order !== parked.orderId;
}

function expiredSay(w: { days: number; daysSince: number; stated: boolean }): Say {
  return { key: w.stated ? 'policy.window_expired_stated' : 'policy.window_expired', vars: { days: w.days, daysSince: w.daysSince } };
}

/**
 * Asks the next question of the intake, after `before`. With everything there it files the case at once (a
 * correction afterwards amends it, ./amend.ts); only an order number 抖店 could not check (its answer failed)
 * gets the summary to confirm first.
 */
function ask(s: DialogueState, ctx: FlowCtx, intake: Intake, before: Say[]): Outcome {
  const asking = s.asking === 'edit' || s.asking === 'pick_case' ? s.asking : nextAsking(ctx.policies, intake);
  if (asking === 'confirm' && s.asking !== 'confirm' && !needsConfirm(intake)) return submit(s, ctx, intake, before);
  const q = question(ctx, intake, asking);
  // A hint for this very slot already asks for it (「这个是快递单号哦～麻烦发一下订单号」): not a second time.
  const hinted = asking !== null && before.some((b) => b.key.startsWith(`hint.${HINT_STEM[asking] ?? asking}`));
  return outcome({ ...s, intake, asking }, hinted ? before : [...before, q.say], q.choices);
}

/** The stem of the hint keys that ask for a slot again (hint.order_tracking, hint.orderId… ask for the order). */
const HINT_STEM: Partial<Record<Exclude<Asking, null>, string>> = { orderId: 'order' };

function fail(s: DialogueState, ctx: FlowCtx, intake: Intake, at: Exclude<Asking, null>, hints: Say[], t: Turn): Outcome {
  const count = (s.failures[at] ?? 0) + 1;
  s.failures[at] = count;
  if (count >= ctx.policies.intake.maxFailedAttempts) {
    return escalate({ ...s, intake }, t, { reason: `no valid answer for ${at} after ${count} attempts`, risk: false, say: 'escalate.attempts' });
  }
  const asking = s.asking ?? nextAsking(ctx.policies, intake);
  const q = question(ctx, intake, asking);
  const say = hints.length > 0 ? hints : [{ key: `hint.${at}` }];
  return outcome({ ...s, intake, asking }, say, q.choices);
}

function escalate(s: DialogueState, t: Turn, e: { reason: string; risk: boolean; say: string; before?: string[] }): Outcome {
  const effect: Effect = {
    type: 'escalate',
    reason: e.reason,
    risk: e.risk,
    urgent: e.risk,
    intake: s.intake,
    text: t.text,
    category: t.category,
    orderIds: t.orderIds,
  };
  const next: DialogueState = { ...s, intake: null, asking: null, failures: {}, pendingText: null, pickFor: null };
  return outcome(next, [...(e.before ?? []).map((key) => ({ key })), { key: e.say }], [], effect);
}

/** The summary is asked to confirm only where the dialogue cannot vouch for it: an order 抖店 could not check. */
const needsConfirm = (intake: Intake): boolean => intake.order !== null && !intake.order.verified;

/** Files the case; `direct` (no summary was confirmed) says in one line what was filed and how to correct it. */
function submit(s: DialogueState, ctx: FlowCtx, intake: Intake, before: Say[] | null = null): Outcome {
  const p = ctx.policies;
  const category = intake.category as CaseCategory;
  const checkAfterDays = p.urgeDelivery.checkAfterDays;
  const filed: Say = before ? { key: 'submitted.direct', vars: filedVars(ctx, intake) } : { key: 'submitted' };
  const say: Say[] = [...(before ?? []), filed, { key: `next.${intake.resolution ?? 'none'}`, vars: { arrivalWorkdays: p.refund.arrivalWorkdays, checkAfterDays } }];
  if (intake.resolution === 'urge_delivery' && intake.fallbackResolution) {
    say.push({ key: 'note.urge_fallback', vars: { checkAfterDays, resolution: ctx.text(`label.resolution.${intake.fallbackResolution}`) } });
  }
  const w = windowVerdict(p, category, intake.order?.signedAt ?? intake.statedSignedAt ?? null, ctx.now);
  if (w.status === 'unknown') say.push({ key: 'note.window_unknown', vars: { days: w.days } });
  if (category === 'no_fault_return' && p.returnShipping.noFault === 'customer') say.push({ key: 'note.no_fault_shipping' });
  const cap = memberPolicyOf(p, ctx.memberLevel).compensationAutoApproveYuan;
  if (intake.resolution === 'compensation' && cap > 0) say.push({ key: 'note.member_compensation', vars: { cap } });
  const next: DialogueState = { ...s, intake: null, asking: null, failures: {}, pendingText: null };
  return outcome(next, say, [], { type: 'submit', intake });
}

function continueIntake(s: DialogueState, intake: Intake, t: Turn, ctx: FlowCtx): Outcome {
  const asking = s.asking;
  const carriesSlots = t.orderIds.length > 0 || t.resolution !== null || t.evidence.length > 0;
  if (asking === 'confirm' && !carriesSlots && t.yesNo === 'yes') return submit(s, ctx, intake);
  if ((asking === 'confirm' || asking === 'edit') && !carriesSlots && t.yesNo === 'no') {
    return ask({ ...s, asking: 'edit' }, ctx, intake, []);
  }

  // "退款的话多久能到账": a question about the rules, even when it names a resolution.
  if (t.question && t.policyTemplates.length > 0 && !t.category && t.orderIds.length === 0 && t.evidence.length === 0 && !t.choiceId) {
    return ask(s, ctx, intake, [...answerPolicy(ctx, t.policyTemplates, ctx.memberLevel, intake.category), { key: 'resume' }]);
  }
  // 「能开发票吗」: a question from the shop's Q&A file, answered before coming back to the open question.
  if (t.qa.length > 0 && (!t.category || t.question) && t.orderIds.length === 0 && t.evidence.length === 0 && !t.choiceId) {
    const a = answerQa(ctx, t.qa, t.policyTemplates, s.lastAnswers ?? [], ctx.memberLevel);
    return ask({ ...s, lastAnswers: a.answered }, ctx, intake, [...a.say, { key: 'resume' }]);
  }
  const applied = applyTurn(ctx, intake, t, asking);
  if (applied.windowExpired) {
    const next: DialogueState = { ...s, intake: null, asking: null, failures: {} };
    return outcome(next, [expiredSay(applied.windowExpired)], [{ id: 'human', label: ctx.text('choice.human') }]);
  }
  if (applied.refundKind && applied.changed.length === 0 && !applied.failedAt) {
    const kinds: Resolution[] = ['return_refund', 'refund'];
    return outcome({ ...s, intake: applied.intake, asking: 'resolution' }, [{ key: 'ask.refund_kind' }], kinds.map((r) => ({ id: `res_${r}`, label: ctx.text(`label.resolution.${r}`) })));
  }
  if (applied.changed.length > 0) {
    for (const slot of applied.changed) delete s.failures[slot];
    delete s.failures.confirm;
    delete s.failures.edit;
    const next: DialogueState = { ...s, asking: null, intake: applied.intake };
    if (applied.failedAt) {
      const count = (next.failures[applied.failedAt] ?? 0) + 1;
      next.failures[applied.failedAt] = count;
      if (count >= ctx.policies.intake.maxFailedAttempts) {
        return escalate(next, t, { reason: `no valid answer for ${applied.failedAt} after ${count} attempts`, risk: false, say: 'escalate.attempts' });
      }
    }
    const said = applied.say.length > 0 || applied.changed.some((c) => c !== 'description') ? applied.say : [{ key: 'got.description' }];
    return ask(next, ctx, applied.intake, said);
  }
  if (applied.failedAt) return fail(s, ctx, applied.intake, applied.failedAt, applied.say, t);
  // A photo sent twice, or a slot value we already have: just ask again.
  if (applied.say.length > 0 || carriesSlots) return ask(s, ctx, applied.intake, applied.say);

  if (t.asksWhereOrderId) {
    const q = question(ctx, intake, 'orderId');
    return outcome({ ...s, asking: asking ?? nextAsking(ctx.policies, intake) }, [{ key: 'help.find_order' }], asking === 'orderId' ? q.choices : []);
  }
  // "没有照片": an answer to the question, though not a usable one.
  if (asking === 'evidence' && t.noEvidence) return fail(s, ctx, intake, 'evidence', [{ key: 'hint.evidence_missing' }], t);

  // Nothing for the intake: answer what was asked, then come back to the open question.
  if (t.confident && t.intent === 'progress') {
    const a = answerProgress(ctx, t.orderIds);
    if (a.pick.length > 0) return outcome({ ...s, asking: 'pick_case', pickFor: 'progress' }, a.say, a.pick);
    // Nothing filed yet: where this very intake stands, not 「没查到您的售后记录」.
    const say = a.say.length === 1 && a.say[0]?.key === 'progress.none' ? [{ key: 'progress.intake_open' }] : a.say;
    return ask(s, ctx, intake, [...say, { key: 'resume' }]);
  }
  if (t.intent === 'policy' && (t.confident || t.policyTemplates.length > 0)) {
    return ask(s, ctx, intake, [...answerPolicy(ctx, t.policyTemplates, ctx.memberLevel, intake.category), { key: 'resume' }]);
  }
  if (t.intent === 'greeting' && t.confident) return ask(s, ctx, intake, [{ key: 'greeting.resume' }]);
  if (t.intent === 'thanks' && t.confident && asking !== 'confirm') return ask(s, ctx, intake, [{ key: 'thanks.resume' }]);
  if (t.kind === 'voice') return ask(s, ctx, intake, [{ key: 'hint.voice' }]);

  const at: Exclude<Asking, null> = asking ?? nextAsking(ctx.policies, intake) ?? 'category';
  if (at === 'evidence') return fail(s, ctx, intake, at, [{ key: t.noEvidence ? 'hint.evidence_missing' : 'hint.evidence' }], t);
  if (at === 'category') {
    if (t.unsureProblem && t.description) s.pendingText = t.description;
    return fail(s, ctx, intake, at, [{ key: 'hint.category' }], t);
  }
  return fail(s, ctx, intake, at, [], t);
}

/** A message with no intake going on. */
function route(s: DialogueState, t: Turn, ctx: FlowCtx): Outcome {
  const smallTalk = t.confident && ['progress', 'policy', 'greeting', 'thanks', 'other'].includes(t.intent);
  const opens =
    t.category !== null ||
    t.unsureProblem ||
    t.kind === 'product' ||
    (t.resolution !== null && !smallTalk) ||
    (t.orderIds.length > 0 && !(t.confident && (t.intent === 'progress' || t.intent === 'policy')));

  if (t.asksWhereOrderId) return outcome(s, [{ key: 'help.find_order' }]);
  // 「多久发货啊」 is a question from the shop's Q&A, though the classifier hears a logistics problem in it.
  if (t.qa.length > 0 && (!t.category || t.question) && t.evidence.length === 0) {
    const a = answerQa(ctx, t.qa, t.policyTemplates, s.lastAnswers ?? [], ctx.memberLevel);
    return outcome({ ...s, lastAnswers: a.answered }, a.say, a.choices);
  }
  // "退款多久到账" from someone without any case is a question about the rules.
  if (!t.category && t.confident && t.intent === 'progress' && ctx.cases.length === 0 && t.policyTemplates.length > 0) {
    return outcome(s, answerPolicy(ctx, t.policyTemplates, ctx.memberLevel));
  }
  if (!t.category && t.confident && t.intent === 'progress') {
    const a = answerProgress(ctx, t.orderIds);
    if (a.pick.length > 0) return outcome({ ...s, asking: 'pick_case', pickFor: 'progress' }, a.say, a.pick);
    return outcome(s, a.say);
  }
  if (!t.category && t.question && t.policyTemplates.length > 0 && t.orderIds.length === 0 && t.evidence.length === 0) {
    return outcome(s, answerPolicy(ctx, t.policyTemplates, ctx.memberLevel));
  }
  if (!t.category && t.intent === 'policy' && (t.confident || t.policyTemplates.length > 0) && !(t.unsureProblem && t.policyTemplates.length === 0)) {
    return outcome(s, answerPolicy(ctx, t.policyTemplates, ctx.memberLevel));
  }
  // More photos right after a case was submitted belong to that case.
  const last = ctx.cases.find((c) => c.id === s.lastCaseId);
  if (!opens && t.evidence.length > 0 && last && isActive(last)) {
    return outcome(s, [{ key: 'got.evidence_attached' }], [], { type: 'attach', caseId: last.id, evidence: t.evidence });
  }
  if (opens || t.evidence.length > 0) {
    const intake = newIntake(t.rowId);
    const fresh: DialogueState = { ...s, intake, asking: null, failures: {}, pendingText: null, arrivalCheck: null };
    if (!t.category && t.description && contentLength(t.description) >= ctx.policies.intake.descriptionMinChars && t.unsureProblem) {
      fresh.pendingText = t.description;
    }
    const applied = applyTurn(ctx, intake, t, null);
    if (applied.windowExpired) {
      return outcome({ ...s, intake: null, asking: null }, [expiredSay(applied.windowExpired)], [{ id: 'human', label: ctx.text('choice.human') }]);
    }
    const before = applied.say.length > 0 || applied.intake.category ? applied.say : [{ key: t.kind === 'product' ? 'got.product' : 'got.opening' }];
    if (!applied.intake.category && t.unsureProblem) {
      return outcome({ ...fresh, intake: applied.intake, asking: 'category' }, [...applied.say, { key: 'clarify' }], categoryChoices(ctx));
    }
    // 「订单…到哪了」: say where the parcel is (carrier + tracking number) while taking the problem down.
    const shipped = t.intent === 'logistics' || applied.intake.category === 'logistics' ? shipmentSay(ctx, applied.intake.orderId) : [];
    return ask(fresh, ctx, applied.intake, [...before, ...shipped]);
  }
  if (t.intent === 'greeting') return outcome(s, [{ key: 'welcome', vars: { shopName: ctx.shopName } }]);
  if (t.intent === 'thanks') return outcome(s, [{ key: s.lastCaseId ? 'thanks.after_case' : 'thanks.idle' }]);
  if (t.kind === 'voice') return outcome(s, [{ key: 'hint.voice' }]);
  if (t.kind !== 'text' && t.kind !== 'choice') return outcome(s, [{ key: 'got.other_kind', vars: { shopName: ctx.shopName } }]);
  // A question nothing here covers: say so and offer a person, rather than answer something else.
  if (t.question) return outcome(s, [{ key: 'qa.not_covered', vars: { shopName: ctx.shopName } }], [{ id: 'human', label: ctx.text('choice.human') }]);
  return outcome(s, [{ key: 'other.reply', vars: { shopName: ctx.shopName } }]);
}

function onChoice(s: DialogueState, t: Turn, ctx: FlowCtx, id: string): Outcome | null {
  const plain: Turn = { ...t, category: null, unsureProblem: false, description: null, resolution: null, noResolution: false, orderIds: [], wrongNumber: null, correction: false, yesNo: null };
  if (id === 'human') return escalate(s, t, { reason: 'customer asked for a person', risk: false, say: 'escalate.human' });
  if (id.startsWith('cat_')) {
    const c = id.slice(4) as CaseCategory;
    if (!CASE_CATEGORIES.includes(c)) return null;
    const intake = s.intake ?? newIntake(t.rowId);
    const pending = s.pendingText;
    const next: DialogueState = { ...s, intake, pendingText: null };
    return continueIntake(next, intake, { ...plain, category: c, correction: true, description: pending }, ctx);
  }
  if (!s.intake) {
    if (id.startsWith('case_')) {
      const found = ctx.cases.find((c) => c.id === id.slice(5));
      if (found) return outcome({ ...s, asking: null, pickFor: null }, progressOf(ctx, found));
    }
    return null;
  }
  const intake = s.intake;
  if (id.startsWith('case_')) {
    const found = ctx.cases.find((c) => c.id === id.slice(5));
    if (!found) return null;
    return ask({ ...s, asking: null, pickFor: null }, ctx, intake, [...progressOf(ctx, found), { key: 'resume' }]);
  }
  if (id.startsWith('res_')) {
    if (id === 'res_none') return continueIntake(s, intake, { ...plain, noResolution: true }, ctx);
    const r = id.slice(4) as Resolution;
    if (!RESOLUTIONS.includes(r)) return null;
    return continueIntake(s, intake, { ...plain, resolution: r }, ctx);
  }
  if (id.startsWith('order_')) {
    const orderId = id.slice(6);
    // One of the shopper's own earlier orders: known, so no check is missing.
    const check = t.orderChecks[orderId];
    return continueIntake(s, intake, { ...plain, orderIds: [orderId], orderChecks: check ? { [orderId]: check } : {} }, ctx);
  }
  if (id === 'confirm_yes') {
    return nextAsking(ctx.policies, intake) === 'confirm' ? submit(s, ctx, intake) : ask({ ...s, asking: null }, ctx, intake, []);
  }
  if (id === 'confirm_edit') return ask({ ...s, asking: 'edit' }, ctx, intake, []);
  if (id.startsWith('edit_')) {
    const slot = id.slice(5);
    if (!isSlot(slot)) return null;
    const cleared: Intake = { ...intake };
    if (slot === 'category') cleared.category = null;
    if (slot === 'orderId') Object.assign(cleared, { orderId: null, order: null });
    if (slot === 'description') cleared.description = null;
    if (slot === 'evidence') cleared.evidence = [];
    if (slot === 'resolution') Object.assign(cleared, { resolution: null, noResolution: false });
    delete s.failures[slot];
    const q = question(ctx, cleared, slot);
    return outcome({ ...s, intake: cleared, asking: slot }, [{ key: 'got.edit' }, q.say], q.choices);
  }
  return null;
}
