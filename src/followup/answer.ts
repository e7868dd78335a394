/**
 * The customer's side of the loop: while a survey, the showcase question or a follow-up visit awaits an
 * answer, this wrapper reads the message first. 4–5 closes the case with thanks and asks whether the review
 * may be shown; 1–3, 「还没解决」 or a new complaint reopens the case (priority raised, back in the people's
 * queue with the score and the words). Anything else goes to the dialogue bot unchanged.
 *
 * Runs inside the pipeline's drain, which may run the same message again after a crash or a lost
 * compare-and-set: the answer is stored on the case with the inbox row id (`lastTurn`), and a re-run repeats
 * the same reply and the same keyed side effects instead of answering twice.
 */
import { raiseAlert } from '../alerts/index.js';
import { addEventOnce, changeCase } from '../store/versioned.js';
import type { Case, Csat, OutboundReply } from '../core/types.js';
import { tryTransition } from '../core/lifecycle.js';
import { requestAssignment } from '../handoff/assign.js';
import type { BotContext, BotHandler, BotOutput } from '../pipeline/bot.js';
import type { CaseEventType } from '../store/types.js';
import type { TemplateBook } from '../../templates/render.js';
import type { FollowupConfig } from './config.js';
import { isComplaint, parseConsent, parseScore, parseSolved, type ComplaintCues } from './parse.js';
import { cancelTimers, durations, planIsLive, readPlan, withPlan, type AnsweredTurn, type FollowupPlan, type PlanStep, type ReopenWhy } from './plan.js';
import { lowScoreAlert, say, thanksReply } from './texts.js';

export interface FollowupBotDeps {
  /** The dialogue's classifier: tells a new complaint from small talk. Without it only the configured words count. */
  analyze?: (text: string) => ComplaintCues;
  followup: FollowupConfig;
  templates: TemplateBook;
  /** Classifier confidence from which a problem intent counts as a complaint (default COMPLAINT_CONFIDENCE). */
  threshold?: number;
}

const WORDS_MAX = 500;
const iso = (ms: number): string => new Date(ms).toISOString();

interface Waiting {
  kase: Case;
  plan: FollowupPlan;
}

/** The newest case of the conversation waiting for an answer within the answer timeout. */
function awaitingCase(cases: Case[], now: number, timeoutMs: number): Waiting | null {
  let best: Waiting | null = null;
  for (const kase of cases) {
    const plan = readPlan(kase);
    if (!plan?.awaiting || !planIsLive(kase, plan) || now - plan.awaiting.since > timeoutMs) continue;
    const okStatus = plan.awaiting.what === 'survey' ? kase.status === 'resolved' : kase.status === 'resolved' || kase.status === 'closed';
    if (!okStatus) continue;
    if (!best || (best.plan.awaiting?.since ?? 0) < plan.awaiting.since) best = { kase, plan };
  }
  return best;
}

/** The dialogue's offered choices are stale once we answered: 「1」 must not pick one of them later. */
function clearOffered(state: Record<string, unknown>): Record<string, unknown> | undefined {
  return Array.isArray(state.offered) && state.offered.length > 0 ? { ...state, offered: [] } : undefined;
}

export function withFollowups(inner: BotHandler, deps: FollowupBotDeps): BotHandler {
  const cfg = deps.followup;
  const book = deps.templates;
  const words = cfg.answers;

  /** Keyed side effects of an answer; run again on a re-run (each is idempotent). */
  async function effects(ctx: BotContext, kase: Case, turn: AnsweredTurn, round: number): Promise<void> {
    const s = ctx.services;
    const event = (type: CaseEventType, data: Record<string, unknown>) =>
      addEventOnce(s.store, { caseId: kase.id, type, actor: 'customer', key: turn.rowId, data: { ...data, round } });
    if (turn.score !== null) await event('csat', { score: turn.score, words: turn.words });
    if (turn.kind === 'consent_yes') await event('showcase', { consent: true });
    if (turn.kind === 'consent_no') await event('showcase_declined', {});
    if (turn.kind === 'solved') await event('followup_answered', { solved: true, words: turn.words });
    if (turn.closed) await addEventOnce(s.store, { caseId: kase.id, type: 'closed', actor: 'customer', key: turn.rowId, data: { reason: turn.kind, csat: turn.score } });
    if (turn.kind !== 'reopen') return;

    await event('reopened', { score: turn.score, words: turn.words, why: turn.why });
    await ctx.handOver({
      caseId: kase.id,
      reason: `reopened by the customer (${turn.why ?? 'complaint'}${turn.score === null ? '' : `, score ${turn.score}`})`,
      actor: 'customer',
    });
    if (turn.score !== null && turn.score <= 2) {
      const alert = lowScoreAlert(book, kase, turn.score, turn.words);
      await raiseAlert(s, { key: `low_csat:${kase.id}:${round}`, kind: 'low_csat', level: 'warning', title: alert.title, text: alert.text, caseId: kase.id, data: { score: turn.score, round } });
    }
    await requestAssignment(s, 'case reopened by the customer');
  }

  function output(turn: AnsweredTurn, ctx: BotContext): BotOutput {
    const state = clearOffered(ctx.conversation.state);
    // A reopening hands the conversation to people in this very turn: the notice speaks with the system voice.
    for (const reply of turn.replies) ctx.reply(reply, { author: turn.handedOver ? 'system' : 'bot' });
    return state ? { state } : {};
  }

  /**
   * Stores the answer on the case in one versioned update (`patch` sees the current case and returns the
   * changes, or null when the case moved on), then runs its side effects.
   */
  async function commit(
    ctx: BotContext,
    w: Waiting,
    turn: AnsweredTurn,
    patch: (c: Case, plan: FollowupPlan) => { close?: boolean; csat?: Csat | null; priority?: Case['priority']; reopenCount?: number; plan: FollowupPlan; extra?: Record<string, unknown> } | null,
  ): Promise<BotOutput | null> {
    const s = ctx.services;
    let applied = false;
    const updated = await changeCase(s.store, w.kase.id, (c) => {
      applied = false; // a retried update starts over
      const plan = readPlan(c);
      if (!plan || plan.round !== w.plan.round || !planIsLive(c, plan) || plan.awaiting?.what !== w.plan.awaiting?.what) return null;
      const p = patch(c, plan);
      if (!p) return null;
      const { plan: next, extra, close, ...fields } = p;
      const life = close ? tryTransition(c, { type: 'close' }) : null;
      if (close && !life) return null;
      applied = true;
      return { ...fields, ...life, data: withPlan(c, { ...next, lastTurn: turn }, extra) };
    });
    if (!applied || !updated) return null; // the case changed meanwhile (reopened, closed by the timeout): not an answer any more
    if (turn.kind === 'reopen') await cancelTimers(s, updated.id, w.plan);
    await effects(ctx, updated, turn, w.plan.round);
    return output(turn, ctx);
  }

  const base = (rowId: string, text: string): Pick<AnsweredTurn, 'rowId' | 'words' | 'handedOver' | 'closed' | 'score'> => ({
    rowId,
    words: text.trim().slice(0, WORDS_MAX),
    handedOver: false,
    closed: false,
    score: null,
  });

  /** Back to the people's queue: priority up one level, reopenCount + 1, pending follow-ups cancelled. */
  function reopen(ctx: BotContext, w: Waiting, why: ReopenWhy, score: Csat | null): Promise<BotOutput | null> {
    const now = ctx.services.clock.now();
    const key = why === 'low_score' ? 'followup.survey.sorry' : 'followup.complaint.reopened';
    const reply: OutboundReply = say(book, key, { score, shopName: ctx.services.config.shopName }, ctx.row.id);
    const turn: AnsweredTurn = { ...base(ctx.row.id, ctx.message.text), kind: 'reopen', replies: [reply], handedOver: true, score, why };
    return commit(ctx, w, turn, (c, plan) => {
      if (c.status !== 'resolved' && c.status !== 'closed') return null;
      const answeringSurvey = plan.awaiting?.what === 'survey';
      const cancel = (step: PlanStep): PlanStep => (step.status === 'scheduled' ? { ...step, status: 'cancelled' } : step);
      const survey: PlanStep = answeringSurvey ? { ...plan.survey, status: 'answered' } : cancel(plan.survey);
      const visit = plan.awaiting?.what === 'visit' ? { ...plan.visit, status: 'answered' as const } : { ...plan.visit, ...cancel(plan.visit) };
      const surveyData = answeringSurvey && score !== null ? { ...(c.data.survey as object), answeredAt: iso(now), score, words: turn.words } : c.data.survey;
      const visitData = plan.awaiting?.what === 'visit' ? { ...(c.data.visit as object), answeredAt: iso(now), solved: false, words: turn.words } : c.data.visit;
      return {
        priority: Math.max(1, c.priority - 1) as Case['priority'],
        reopenCount: c.reopenCount + 1,
        ...(answeringSurvey && score !== null ? { csat: score } : {}),
        plan: { ...plan, survey, visit, awaiting: null, cancelledAt: iso(now) },
        extra: {
          survey: surveyData,
          visit: visitData,
          reopen: { at: iso(now), why, score, words: turn.words },
          reopenedAt: iso(now),
        },
      };
    });
  }

  async function onSurvey(ctx: BotContext, w: Waiting, cues: () => ComplaintCues | null): Promise<BotOutput | null> {
    const { message, row, services: s } = ctx;
    const answer = parseScore(message, words);
    const complaint = (!answer || !answer.pure) && isComplaint(message.text, words, cues(), deps.threshold);
    if (complaint) return reopen(ctx, w, answer && answer.score <= 3 ? 'low_score' : 'complaint', answer?.score ?? null);
    if (!answer) return null;
    if (answer.score <= 3) return reopen(ctx, w, 'low_score', answer.score);
    const now = s.clock.now();
    const reply = thanksReply(book, answer.score, s.config.shopName, row.id);
    const turn: AnsweredTurn = { ...base(row.id, message.text), kind: 'score', replies: [reply], score: answer.score, closed: true };
    return commit(ctx, w, turn, (c, plan) =>
      c.status !== 'resolved'
        ? null
        : {
            close: true,
            csat: answer.score,
            plan: { ...plan, survey: { ...plan.survey, status: 'answered' }, awaiting: { what: 'consent', since: now } },
            extra: { closedAt: iso(now), closedBy: 'survey', survey: { ...(c.data.survey as object), answeredAt: iso(now), score: answer.score, words: turn.words } },
          },
    );
  }

  async function onConsent(ctx: BotContext, w: Waiting, cues: () => ComplaintCues | null): Promise<BotOutput | null> {
    const { message, row, services: s } = ctx;
    const consent = parseConsent(message, words);
    if (!consent && isComplaint(message.text, words, cues(), deps.threshold)) return reopen(ctx, w, 'complaint', null);
    const now = s.clock.now();
    if (!consent) {
      // Not an answer: stop waiting for one, and let the dialogue have the message.
      await changeCase(s.store, w.kase.id, (c) => {
        const plan = readPlan(c);
        return plan?.awaiting?.what === 'consent' ? { data: withPlan(c, { ...plan, awaiting: null }) } : null;
      });
      return null;
    }
    const reply = say(book, consent === 'yes' ? 'followup.showcase.yes' : 'followup.showcase.no', { shopName: s.config.shopName }, row.id);
    const turn: AnsweredTurn = { ...base(row.id, message.text), kind: consent === 'yes' ? 'consent_yes' : 'consent_no', replies: [reply] };
    return commit(ctx, w, turn, (c, plan) => {
      const survey = c.data.survey as { words?: unknown } | undefined;
      const showcase = consent === 'yes' ? { showcase: { consent: true, words: typeof survey?.words === 'string' ? survey.words : '', at: iso(now) } } : {};
      return { plan: { ...plan, awaiting: null }, extra: showcase };
    });
  }

  async function onVisit(ctx: BotContext, w: Waiting, cues: () => ComplaintCues | null): Promise<BotOutput | null> {
    const { message, row, services: s } = ctx;
    const solved = parseSolved(message, words);
    if (solved === 'unsolved') return reopen(ctx, w, 'unsolved', null);
    if (solved !== 'solved') return isComplaint(message.text, words, cues(), deps.threshold) ? reopen(ctx, w, 'complaint', null) : null;
    const now = s.clock.now();
    const reply = say(book, 'followup.visit.thanks', { shopName: s.config.shopName }, row.id);
    const closes = w.kase.status === 'resolved';
    const turn: AnsweredTurn = { ...base(row.id, message.text), kind: 'solved', replies: [reply], closed: closes };
    return commit(ctx, w, turn, (c, plan) => {
      const closing = c.status === 'resolved';
      if (closing !== closes) return null;
      const survey: PlanStep = plan.survey.status === 'sent' ? { ...plan.survey, status: 'expired' } : plan.survey;
      return {
        ...(closing ? { close: true } : {}),
        plan: { ...plan, survey, visit: { ...plan.visit, status: 'answered' }, awaiting: null },
        extra: {
          visit: { ...(c.data.visit as object), answeredAt: iso(now), solved: true, words: turn.words },
          ...(closing ? { closedAt: iso(now), closedBy: 'followup' } : {}),
        },
      };
    });
  }

  return async (ctx) => {
    const { message, row, conversation, services: s } = ctx;
    if (message.from !== 'customer' || message.event) return inner(ctx);
    const cases = (await s.store.listCases({ conversationId: conversation.id, limit: 20 })).items;

    // The same message again (crash, lost compare-and-set): same reply, same effects, nothing new.
    for (const kase of cases) {
      const plan = readPlan(kase);
      if (plan?.lastTurn?.rowId === row.id) {
        await effects(ctx, kase, plan.lastTurn, plan.round);
        return output(plan.lastTurn, ctx);
      }
    }
    const w = awaitingCase(cases, s.clock.now(), durations(s.config, cfg).answerTimeout);
    if (!w?.plan.awaiting) return inner(ctx);

    let cached: ComplaintCues | null | undefined;
    const cues = (): ComplaintCues | null => {
      if (cached === undefined) cached = deps.analyze && message.text ? deps.analyze(message.text) : null;
      return cached;
    };
    const what = w.plan.awaiting.what;
    const out = what === 'survey' ? await onSurvey(ctx, w, cues) : what === 'consent' ? await onConsent(ctx, w, cues) : await onVisit(ctx, w, cues);
    return out ?? inner(ctx);
  };
}
