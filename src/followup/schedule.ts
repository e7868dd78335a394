/**
 * Planning the follow-ups of a resolved case, and rebuilding their alarms from the store at start-up.
 * The plan (case.data.followup) is written first; the timer jobs follow from it with deterministic ids, so
 * calling either function again — or after Redis lost every job — adds only what is missing.
 */
import type { Case } from '../core/types.js';
import { changeCase } from '../store/versioned.js';
import type { Services } from '../services.js';
import type { FollowupConfig } from './config.js';
import { VISIT_TIMER, cancelTimers, durations, ensurePlanTimers, planIsLive, readPlan, timerJobId, withPlan, type FollowupPlan, type StepName, type VisitStep } from './plan.js';
import { putInOutbox } from './send.js';

type Deps = Pick<Services, 'store' | 'queues' | 'log' | 'clock' | 'config' | 'data'>;

export interface FollowupOptions {
  followup?: FollowupConfig;
}

const msOf = (v: unknown): number | null => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? Date.parse(v) : null);

/**
 * When the visit is due: 抖店's 退款成功 + N days when that is known and still ahead, otherwise the resolution
 * + N days.
 */
function visitDue(c: Case, resolvedAt: number, now: number, t: ReturnType<typeof durations>): Pick<VisitStep, 'basis' | 'dueAt'> {
  const refundAt = msOf(c.data.refundSucceededAt);
  if (refundAt !== null && refundAt + t.refundVisitDelay > now) return { basis: 'refund', dueAt: refundAt + t.refundVisitDelay };
  return { basis: 'resolved', dueAt: resolvedAt + t.visitDelay };
}

/**
 * Called whenever a case becomes `resolved` (console resolve, 抖店 退款成功…). Idempotent: a second call for the
 * same resolution only re-ties a still-scheduled visit to 退款成功 when that arrived later; a case resolved again
 * after a reopen gets a new round with new job ids.
 */
export async function onCaseResolved(s: Deps, kase: Case, opts: FollowupOptions = {}): Promise<void> {
  const t = durations(s.config, opts.followup ?? s.data.followup);
  const now = s.clock.now();
  // Set inside the update callback: the plan whose visit a re-tie moves, the round a new resolution replaces.
  const replaced: { plan: FollowupPlan | null; previous: FollowupPlan | null; planned: boolean } = { plan: null, previous: null, planned: false };
  const updated = await changeCase(s.store, kase.id, (c) => {
    replaced.plan = null;
    replaced.previous = null;
    replaced.planned = false;
    const plan = readPlan(c);
    // The console stamps data.resolvedAt on every resolve: a later one than the plan's is a new resolution.
    const resolvedAgain = plan !== null && (msOf(c.data.resolvedAt) ?? 0) > Date.parse(plan.resolvedAt);
    if (plan && planIsLive(c, plan) && !resolvedAgain) {
      const next = visitDue(c, Date.parse(plan.resolvedAt), now, t);
      if (plan.visit.status !== 'scheduled' || plan.visit.basis === 'refund' || next.basis !== 'refund') return null;
      replaced.plan = plan;
      return { data: withPlan(c, { ...plan, visit: { ...plan.visit, ...next } }) };
    }
    if (c.status !== 'resolved') return null;
    if (plan && planIsLive(c, plan)) replaced.previous = plan;
    const fresh: FollowupPlan = {
      v: 1,
      round: (plan?.round ?? 0) + 1,
      reopenCount: c.reopenCount,
      resolvedAt: new Date(now).toISOString(),
      survey: { status: 'scheduled', dueAt: now + t.surveyDelay, n: 0 },
      visit: { status: 'scheduled', n: 0, ...visitDue(c, now, now, t) },
      closeAt: null,
      awaiting: null,
      lastTurn: null,
      cancelledAt: null,
    };
    replaced.planned = true;
    return { data: withPlan(c, fresh) };
  });
  const plan = updated && readPlan(updated);
  if (!updated || !plan || !planIsLive(updated, plan)) return;
  const before = replaced.plan;
  if (before) {
    await s.queues
      .get('timer')
      .remove(timerJobId(VISIT_TIMER, updated.id, { round: before.round, n: before.visit.n, basis: before.visit.basis }))
      .catch(() => 0);
  }
  if (replaced.previous) await cancelTimers(s, updated.id, replaced.previous);
  await ensurePlanTimers(s, updated, plan);
  if (replaced.planned || before) {
    s.log.info({ caseId: updated.id, round: plan.round, surveyAt: plan.survey.dueAt, visitAt: plan.visit.dueAt, visitBasis: plan.visit.basis }, 'follow-ups planned');
  }
}

/**
 * For any other way a resolved or closed case is reopened (a console action): the pending survey and visit of
 * that resolution are cancelled, and the next resolution plans a new round. Idempotent.
 */
export async function onCaseReopened(s: Pick<Services, 'store' | 'queues' | 'clock'>, caseId: string): Promise<void> {
  const at = new Date(s.clock.now()).toISOString();
  const cancel = <T extends { status: string }>(step: T): T => (step.status === 'scheduled' ? { ...step, status: 'cancelled' } : step);
  const found: { plan: FollowupPlan | null } = { plan: null };
  await changeCase(s.store, caseId, (c) => {
    const plan = readPlan(c);
    if (!plan || plan.cancelledAt !== null) return null;
    found.plan = plan;
    return { data: withPlan(c, { ...plan, survey: cancel(plan.survey), visit: cancel(plan.visit), awaiting: null, cancelledAt: at }) };
  });
  if (found.plan) await cancelTimers(s, caseId, found.plan);
}

const PAGE = 200;
const DAY = 24 * 3600 * 1000;

/**
 * At worker start: every resolved case, and closed cases created within `rebuildLookbackDays`, whose plan still
 * needs an alarm gets it back (same job ids, remaining delay); a survey or visit already committed as sent but
 * still pending in the outbox gets a send job again.
 */
export async function rebuildFollowups(s: Deps, opts: FollowupOptions = {}): Promise<{ rescheduled: number }> {
  const cfg = opts.followup ?? s.data.followup;
  const oldest = new Date(s.clock.now() - cfg.rebuildLookbackDays * DAY).toISOString();
  const retag = `r${Math.floor(Date.now() / 60_000)}`;
  let rescheduled = 0;
  for (const status of ['resolved', 'closed'] as const) {
    let cursor: string | null = null;
    for (;;) {
      const page = await s.store.listCases({ status, limit: PAGE, ...(cursor ? { cursor } : {}) });
      for (const c of page.items) {
        const plan = readPlan(c);
        if (!plan || !planIsLive(c, plan)) continue;
        rescheduled += await ensurePlanTimers(s, c, plan);
        for (const step of ['survey', 'visit'] as StepName[]) {
          if (plan[step].status !== 'sent') continue;
          const pending = await s.store.getOutbound(plan[step].outboxKey ?? '');
          if (pending && pending.status !== 'pending') continue;
          const conv = await s.store.getConversation(c.conversationId);
          if (conv) await putInOutbox(s, { kase: c, conv, step, round: plan.round, book: s.data.templates, retag });
        }
      }
      const last = page.items[page.items.length - 1];
      if (!page.nextCursor || (status === 'closed' && last && last.createdAt < oldest)) break;
      cursor = page.nextCursor;
    }
  }
  if (rescheduled > 0) s.log.info({ rescheduled }, 'follow-up alarms rebuilt from the store');
  return { rescheduled };
}
