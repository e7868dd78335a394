/**
 * The follow-up plan kept in `case.data.followup`: one round per resolution (a reopened case that is resolved
 * again gets a new round), with the survey, the follow-up visit (回访) and the no-answer close. The store is
 * the record; timer jobs are only alarms with deterministic ids derived from the plan, so they can be found,
 * cancelled and rebuilt after Redis lost them.
 */
import { scaled } from '../../config/load-config.js';
import type { Case, Csat, OutboundReply } from '../core/types.js';
import { jobId, outboxKey } from '../pipeline/keys.js';
import type { Services } from '../services.js';

export const SURVEY_TIMER = 'followup-survey';
export const VISIT_TIMER = 'followup-visit';
export const CLOSE_TIMER = 'followup-close';
export const FOLLOWUP_TIMERS = [SURVEY_TIMER, VISIT_TIMER, CLOSE_TIMER] as const;

export type StepName = 'survey' | 'visit';

/**
 * `scheduled` → `sent` (the message is in the outbox) → `answered`; or `task` (window closed: a person does it),
 * `skipped` (cooldown, customer busy), `expired` (no answer), `cancelled` (reopened first).
 */
export type StepStatus = 'scheduled' | 'sent' | 'answered' | 'task' | 'skipped' | 'expired' | 'cancelled';

export interface PlanStep {
  status: StepStatus;
  /** Clock time (ms) the message is due. */
  dueAt: number;
  /** Times it was put off because the customer was busy with another case; part of the job id. */
  n: number;
  sentAt?: string;
  outboxKey?: string;
  taskKey?: string;
  /** Why it was skipped or became a task. */
  reason?: string;
}

export interface VisitStep extends PlanStep {
  /** What the due time is counted from: the resolution, or 抖店's 退款成功. */
  basis: 'resolved' | 'refund';
}

export type Awaiting = 'survey' | 'consent' | 'visit';

export type ReopenWhy = 'low_score' | 'complaint' | 'unsolved';

/**
 * The customer message that answered and what it did, so a re-run of that message (after a crash or a lost
 * compare-and-set in the pipeline) repeats the same reply and the same idempotent side effects.
 */
export interface AnsweredTurn {
  rowId: string;
  kind: 'score' | 'consent_yes' | 'consent_no' | 'solved' | 'reopen';
  replies: OutboundReply[];
  /** The conversation went to people (reopened): the reply went out as a system notice. */
  handedOver: boolean;
  score: Csat | null;
  words: string;
  /** This answer closed the case. */
  closed: boolean;
  why?: ReopenWhy;
}

export interface FollowupPlan {
  v: 1;
  round: number;
  /** case.reopenCount when this round was planned: a different one means the case was reopened since. */
  reopenCount: number;
  resolvedAt: string;
  survey: PlanStep;
  visit: VisitStep;
  /** Clock time (ms) of the no-answer close, once the survey went out (or could not). */
  closeAt: number | null;
  awaiting: { what: Awaiting; since: number } | null;
  lastTurn: AnsweredTurn | null;
  cancelledAt: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readPlan(c: Pick<Case, 'data'>): FollowupPlan | null {
  const raw = c.data.followup;
  if (!isRecord(raw) || raw.v !== 1 || typeof raw.round !== 'number' || !isRecord(raw.survey) || !isRecord(raw.visit)) return null;
  return raw as unknown as FollowupPlan;
}

/** A case patch's `data` with the plan replaced (and other data keys kept). */
export function withPlan(c: Pick<Case, 'data'>, plan: FollowupPlan, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...c.data, ...extra, followup: plan };
}

/** Still planned for this resolution: not reopened since. */
export const planIsLive = (c: Pick<Case, 'reopenCount'>, plan: FollowupPlan): boolean =>
  plan.cancelledAt === null && plan.reopenCount === c.reopenCount;

export interface TimerPayload {
  round: number;
  n: number;
  basis?: VisitStep['basis'];
}

export function timerJobId(kind: string, caseId: string, p: TimerPayload): string {
  return jobId(kind, caseId, p.round, p.n, ...(p.basis ? [p.basis] : []));
}

export const surveyOutboxKey = (caseId: string, round: number): string => outboxKey('s', SURVEY_TIMER, caseId, round);
export const visitOutboxKey = (caseId: string, round: number): string => outboxKey('s', VISIT_TIMER, caseId, round);
export const taskKey = (step: StepName, caseId: string, round: number): string => `${step === 'survey' ? 'survey' : 'followup'}:${caseId}:${round}`;

type QueueDeps = Pick<Services, 'queues' | 'clock'>;

/** Adds the alarm unless a job with its id exists; a job that failed for good is replaced. True when added. */
export async function ensureTimer(s: QueueDeps, kind: string, caseId: string, payload: TimerPayload, dueAt: number): Promise<boolean> {
  const id = timerJobId(kind, caseId, payload);
  const queue = s.queues.get('timer');
  const existing = await queue.getJob(id);
  if (existing) {
    if ((await existing.getState()) !== 'failed') return false;
    await existing.remove().catch(() => undefined);
  }
  const delay = Math.max(0, dueAt - s.clock.now());
  await s.queues.add('timer', { kind, subjectId: caseId, dueAt, payload: { ...payload } }, { jobId: id, delay });
  return true;
}

/** Removes this round's alarms (best effort: a job that fires anyway finds the plan cancelled). */
export async function cancelTimers(s: Pick<Services, 'queues'>, caseId: string, plan: FollowupPlan): Promise<void> {
  const queue = s.queues.get('timer');
  const ids: string[] = [];
  for (let n = 0; n <= plan.survey.n; n++) ids.push(timerJobId(SURVEY_TIMER, caseId, { round: plan.round, n }));
  for (let n = 0; n <= plan.visit.n; n++) {
    for (const basis of ['resolved', 'refund'] as const) ids.push(timerJobId(VISIT_TIMER, caseId, { round: plan.round, n, basis }));
  }
  ids.push(timerJobId(CLOSE_TIMER, caseId, { round: plan.round, n: 0 }));
  for (const id of ids) await queue.remove(id).catch(() => 0);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Durations of config/followup.json in clock milliseconds, divided by TIME_SCALE. */
export function durations(config: Pick<Services['config'], 'timeScale'>, f: {
  surveyDelayMinutes: number;
  answerTimeoutHours: number;
  surveyCooldownDays: number;
  followupDelayDays: number;
  doudianRefundFollowupDays: number;
}) {
  return {
    surveyDelay: scaled(config, f.surveyDelayMinutes * MINUTE),
    answerTimeout: scaled(config, f.answerTimeoutHours * HOUR),
    cooldown: scaled(config, f.surveyCooldownDays * DAY),
    visitDelay: scaled(config, f.followupDelayDays * DAY),
    refundVisitDelay: scaled(config, f.doudianRefundFollowupDays * DAY),
  };
}

/** Puts back every alarm the plan still needs (idempotent). Returns how many were missing. */
export async function ensurePlanTimers(s: QueueDeps, kase: Pick<Case, 'id' | 'status'>, plan: FollowupPlan): Promise<number> {
  let added = 0;
  const { round } = plan;
  if (plan.survey.status === 'scheduled' && kase.status === 'resolved') {
    if (await ensureTimer(s, SURVEY_TIMER, kase.id, { round, n: plan.survey.n }, plan.survey.dueAt)) added++;
  }
  if (plan.visit.status === 'scheduled' && (kase.status === 'resolved' || kase.status === 'closed')) {
    if (await ensureTimer(s, VISIT_TIMER, kase.id, { round, n: plan.visit.n, basis: plan.visit.basis }, plan.visit.dueAt)) added++;
  }
  if (plan.closeAt !== null && kase.status === 'resolved') {
    if (await ensureTimer(s, CLOSE_TIMER, kase.id, { round, n: 0 }, plan.closeAt)) added++;
  }
  return added;
}
