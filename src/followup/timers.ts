/**
 * The follow-up alarms: send the survey, send the follow-up visit (回访), close an unanswered survey. Each
 * handler re-reads the case when it fires and acts only when the plan still says so (same round, not
 * reopened, step still due), so a stale or duplicated job does nothing. Where the platform would refuse the
 * message at the due time, it becomes a task for a person instead — never a failed send.
 */
import type { Case } from '../core/types.js';
import { tryTransition } from '../core/lifecycle.js';
import { addEventOnce, changeCase } from '../store/versioned.js';
import type { TimerHandler } from '../dialogue/timers.js';
import type { JobMap } from '../queues/jobs.js';
import type { Services } from '../services.js';
import type { Conversation } from '../store/types.js';
import type { TemplateBook } from '../../templates/render.js';
import type { FollowupConfig } from './config.js';
import {
  CLOSE_TIMER,
  SURVEY_TIMER,
  VISIT_TIMER,
  durations,
  ensureTimer,
  planIsLive,
  readPlan,
  taskKey,
  withPlan,
  type FollowupPlan,
  type PlanStep,
  type StepName,
  type TimerPayload,
} from './plan.js';
import { putInOutbox, stepOutboxKey, stepReply, takeConversation } from './send.js';
import { checkPlatform, claimSurvey, customerBusy, douyinDailyCheck, inSurveyCooldown, type SendCheck } from './window.js';

type TimerDeps = Services;

export interface FollowupTimerDeps {
  templates: TemplateBook;
  followup: FollowupConfig;
}

function payloadOf(job: JobMap['timer']): TimerPayload | null {
  const { round, n, basis } = job.payload;
  if (typeof round !== 'number' || typeof n !== 'number') return null;
  return { round, n, ...(basis === 'resolved' || basis === 'refund' ? { basis } : {}) };
}

const iso = (ms: number): string => new Date(ms).toISOString();

interface Due {
  kase: Case;
  plan: FollowupPlan;
  step: PlanStep;
}

/** The case when this job is still the plan's current alarm for `name`. */
async function due(s: TimerDeps, job: JobMap['timer'], name: StepName): Promise<Due | null> {
  const p = payloadOf(job);
  const kase = p && (await s.store.getCase(job.subjectId));
  const plan = kase && readPlan(kase);
  if (!p || !kase || !plan || plan.round !== p.round || !planIsLive(kase, plan)) return null;
  const step = plan[name];
  if (step.n !== p.n) return null;
  if (name === 'visit' && p.basis !== plan.visit.basis) return null;
  return { kase, plan, step };
}

/** Applies `change` to the step if the plan is still at the same round and the step still `scheduled`. */
async function moveStep(
  s: TimerDeps,
  d: Due,
  name: StepName,
  change: (plan: FollowupPlan, c: Case) => { plan: FollowupPlan; extra?: Record<string, unknown> },
): Promise<Case | null> {
  let applied = false;
  const updated = await changeCase(s.store, d.kase.id, (c) => {
    applied = false; // a retried update starts over
    const plan = readPlan(c);
    if (!plan || plan.round !== d.plan.round || !planIsLive(c, plan) || plan[name].status !== 'scheduled' || plan[name].n !== d.step.n) return null;
    const next = change(plan, c);
    applied = true;
    return { data: withPlan(c, next.plan, next.extra) };
  });
  return applied ? updated : null;
}

/** `deps`: the operator data validated at start-up (Services.data). */
export function followupTimerHandlers(deps: FollowupTimerDeps): Record<string, TimerHandler> {
  const book = deps.templates;
  const config = deps.followup;
  const cfgOf = (): FollowupConfig => config;

  const setStep = (name: StepName, step: PlanStep) => (plan: FollowupPlan): FollowupPlan =>
    name === 'survey' ? { ...plan, survey: step } : { ...plan, visit: { ...plan.visit, ...step } };

  /** After the survey (sent, skipped or handed to a person), the unanswered case closes after the timeout. */
  async function scheduleClose(s: TimerDeps, kase: Case): Promise<void> {
    const plan = readPlan(kase);
    if (plan && plan.closeAt !== null && kase.status === 'resolved') await ensureTimer(s, CLOSE_TIMER, kase.id, { round: plan.round, n: 0 }, plan.closeAt);
  }

  async function skip(s: TimerDeps, d: Due, name: StepName, reason: string): Promise<string> {
    const now = s.clock.now();
    const timeout = durations(s.config, cfgOf()).answerTimeout;
    const updated = await moveStep(s, d, name, (plan) => {
      const next = setStep(name, { ...plan[name], status: 'skipped', reason })(plan);
      return { plan: name === 'survey' ? { ...next, closeAt: now + timeout } : next };
    });
    if (updated && name === 'survey') await scheduleClose(s, updated);
    s.log.info({ caseId: d.kase.id, step: name, reason }, 'follow-up message skipped');
    return 'skipped';
  }

  /** The customer is busy with another case: ask later, a limited number of times. */
  async function defer(s: TimerDeps, d: Due, name: StepName, kind: string): Promise<string> {
    const cfg = cfgOf();
    if (d.step.n >= cfg.busyDeferrals) return skip(s, d, name, 'busy');
    const dueAt = s.clock.now() + durations(s.config, cfg).surveyDelay;
    const updated = await moveStep(s, d, name, (plan) => ({ plan: setStep(name, { ...plan[name], n: plan[name].n + 1, dueAt })(plan) }));
    const plan = updated && readPlan(updated);
    if (plan) {
      const step = plan[name];
      await ensureTimer(s, kind, d.kase.id, { round: plan.round, n: step.n, ...(name === 'visit' ? { basis: plan.visit.basis } : {}) }, step.dueAt);
    }
    return 'deferred';
  }

  /** The platform window is closed: a person gets the message to deliver another way. */
  async function toTask(s: TimerDeps, d: Due, name: StepName, conv: Conversation, block: Extract<SendCheck, { ok: false }>): Promise<string> {
    const now = s.clock.now();
    const key = taskKey(name, d.kase.id, d.plan.round);
    const reply = stepReply(book, name, d.kase, s.config.shopName, d.plan.round);
    await s.store.insertTask({
      key,
      kind: name === 'survey' ? 'survey' : 'followup',
      caseId: d.kase.id,
      conversationId: conv.id,
      reason: block.reason,
      data: { channel: conv.channel, code: block.code, round: d.plan.round, dueAt: iso(d.step.dueAt), text: reply.text, choices: (reply.choices ?? []).map((c) => c.label) },
    });
    const timeout = durations(s.config, cfgOf()).answerTimeout;
    const updated = await moveStep(s, d, name, (plan) => {
      const next = setStep(name, { ...plan[name], status: 'task', taskKey: key, reason: block.code })(plan);
      return { plan: name === 'survey' ? { ...next, closeAt: now + timeout } : next };
    });
    await addEventOnce(s.store, { caseId: d.kase.id, type: 'followup_task', actor: 'system', key, data: { step: name, code: block.code } });
    if (updated && name === 'survey') await scheduleClose(s, updated);
    s.log.info({ caseId: d.kase.id, step: name, code: block.code }, 'follow-up message handed to a person: platform window closed');
    return 'task';
  }

  /** Re-run of a step already committed as sent: make sure the message is in the outbox and queued. */
  async function resume(s: TimerDeps, d: Due, name: StepName): Promise<string> {
    const conv = await s.store.getConversation(d.kase.conversationId);
    if (conv) {
      // Crashed between the commit and the outbox: finish what the first run started.
      if (!(await s.store.getOutbound(stepOutboxKey(name, d.kase.id, d.plan.round)))) await takeConversation(s, conv.id);
      await putInOutbox(s, { kase: d.kase, conv, step: name, round: d.plan.round, book });
    }
    if (name === 'survey') await scheduleClose(s, d.kase);
    return 'sent';
  }

  async function send(s: TimerDeps, job: JobMap['timer'], name: StepName, kind: string): Promise<string> {
    const d = await due(s, job, name);
    if (!d) return 'skipped';
    if (d.step.status === 'sent') return resume(s, d, name);
    if (d.step.status !== 'scheduled') return 'skipped';
    const cfg = cfgOf();
    const { kase, plan } = d;
    const statusOk = name === 'survey' ? kase.status === 'resolved' : kase.status === 'resolved' || kase.status === 'closed';
    if (!statusOk) return skip(s, d, name, `case_${kase.status}`);
    if (!(name === 'survey' ? cfg.surveyEnabled : cfg.followupEnabled)) return skip(s, d, name, 'disabled');
    const conv = await s.store.getConversation(kase.conversationId);
    if (!conv) return skip(s, d, name, 'no_conversation');
    if (await customerBusy(s, kase, conv)) return defer(s, d, name, kind);

    const now = s.clock.now();
    const times = durations(s.config, cfg);
    if (name === 'survey' && (await inSurveyCooldown(s, kase, { now, cooldownMs: times.cooldown }))) return skip(s, d, name, 'cooldown');
    const platform = checkPlatform(s, conv, now, book, name);
    if (!platform.ok) return toTask(s, d, name, conv, platform);
    const daily = await douyinDailyCheck(s, kase, { now, limit: cfg.douyinDailyProactiveLimit, book, step: name, lastAt: conv.lastCustomerAt });
    if (!daily.ok) return toTask(s, d, name, conv, daily);
    if (name === 'survey' && !(await claimSurvey(s, kase, { cooldownMs: times.cooldown, claim: `${kase.id}:${plan.round}` }))) {
      return skip(s, d, name, 'cooldown');
    }

    const sentAt = iso(now);
    const outboxKey = stepOutboxKey(name, kase.id, plan.round);
    const updated = await moveStep(s, d, name, (p) => {
      const next = setStep(name, { ...p[name], status: 'sent', sentAt, outboxKey })(p);
      const awaiting = { what: name, since: now } as const;
      if (name === 'survey') {
        return { plan: { ...next, closeAt: now + times.answerTimeout, awaiting }, extra: { survey: { sentAt, answeredAt: null, score: null, words: null } } };
      }
      const visit = { sentAt, answeredAt: null, solved: null, words: null };
      return { plan: { ...next, awaiting }, extra: { visit } };
    });
    if (!updated) return 'skipped';
    await takeConversation(s, conv.id);
    await putInOutbox(s, { kase: updated, conv, step: name, round: plan.round, book });
    await addEventOnce(s.store, {
      caseId: kase.id,
      type: name === 'survey' ? 'survey_sent' : 'followup_sent',
      actor: 'system',
      key: `${name}:${plan.round}`,
      data: { round: plan.round, outboxKey },
    });
    if (name === 'survey') await scheduleClose(s, updated);
    return 'sent';
  }

  /** No answer within the timeout: the case closes with csat null. */
  const close: TimerHandler = async (s, job) => {
    const p = payloadOf(job);
    if (!p) return 'skipped';
    const now = s.clock.now();
    let closed = false;
    const updated = await changeCase(s.store, job.subjectId, (c) => {
      closed = false; // a retried update starts over
      const plan = readPlan(c);
      if (!plan || plan.round !== p.round || !planIsLive(c, plan) || c.status !== 'resolved') return null;
      closed = true;
      const survey: PlanStep = plan.survey.status === 'sent' ? { ...plan.survey, status: 'expired' } : plan.survey;
      const awaiting = plan.awaiting && plan.awaiting.what !== 'visit' ? null : plan.awaiting;
      const life = tryTransition(c, { type: 'close' });
      if (!life) return null;
      return { ...life, data: withPlan(c, { ...plan, survey, awaiting }, { closedAt: iso(now), closedBy: 'no_answer' }) };
    });
    if (!closed || !updated) return 'skipped';
    await addEventOnce(s.store, { caseId: updated.id, type: 'closed', actor: 'system', key: `close:${p.round}`, data: { reason: 'no_answer', csat: null } });
    s.log.info({ caseId: updated.id }, 'case closed: the survey got no answer');
    return 'closed';
  };

  return {
    [SURVEY_TIMER]: (s, job) => send(s, job, 'survey', SURVEY_TIMER),
    [VISIT_TIMER]: (s, job) => send(s, job, 'visit', VISIT_TIMER),
    [CLOSE_TIMER]: close,
  };
}
