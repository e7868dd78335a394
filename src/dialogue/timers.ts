/**
 * Idle handling of an intake: a reminder after N minutes of silence and closing the intake after M
 * (config/policies.json, divided by TIME_SCALE). Each bot turn schedules both with deterministic job ids
 * carrying the turn's `seq`; when a timer fires it acts only if the conversation is still at that very
 * turn, so a customer who answered in between never gets a stale reminder.
 */
import { scaled } from '../../config/load-config.js';
import type { JobMap } from '../queues/jobs.js';
import { jobId, outboxKey } from '../pipeline/keys.js';
import type { Services } from '../services.js';
import type { Conversation } from '../store/types.js';
import type { TemplateBook } from '../../templates/render.js';
import { question } from './intake.js';
import type { FlowCtx } from './outcome.js';
import type { Policies } from './policies.js';
import { labeler, renderReply, seedOf } from './replies.js';
import { collecting, readState, type DialogueState } from './state.js';
import { writeOutbox } from '../pipeline/outbox.js';

export const INTAKE_REMIND = 'intake-remind';
export const INTAKE_CLOSE = 'intake-close';

export type TimerDeps = Pick<Services, 'store' | 'queues' | 'config' | 'clock' | 'log'>;
/** Handlers get the full services (SLA timers raise alerts, surveys check platform windows). */
export type TimerHandler = (s: Services, job: JobMap['timer']) => Promise<string>;

const MINUTE = 60_000;

export const timerJobId = (kind: string, conversationId: string, seq: number): string => jobId(kind, conversationId, seq);

export async function scheduleIntakeTimers(s: TimerDeps, opts: { conversationId: string; seq: number; policies: Policies }): Promise<void> {
  const now = s.clock.now();
  const plan: [string, number][] = [
    [INTAKE_REMIND, opts.policies.timers.idleReminderMinutes],
    [INTAKE_CLOSE, opts.policies.timers.closeIntakeMinutes],
  ];
  for (const [kind, minutes] of plan) {
    const delay = scaled(s.config, minutes * MINUTE);
    await s.queues.add(
      'timer',
      { kind, subjectId: opts.conversationId, dueAt: now + delay, payload: { seq: opts.seq } },
      { jobId: timerJobId(kind, opts.conversationId, opts.seq), delay },
    );
    // The previous turn's timers are moot now; dropping them keeps the delayed set small (best effort).
    if (opts.seq > 1) {
      await s.queues
        .get('timer')
        .remove(timerJobId(kind, opts.conversationId, opts.seq - 1))
        .catch(() => 0);
    }
  }
}

interface Loaded {
  conv: Conversation;
  state: DialogueState;
}

/** The conversation when the timer still applies: bot mode, same turn, intake open, nothing unread. */
async function stillSilent(s: TimerDeps, job: JobMap['timer']): Promise<Loaded | null> {
  const conv = await s.store.getConversation(job.subjectId);
  if (!conv || conv.mode !== 'bot') return null;
  const state = readState(conv.state);
  if (state.seq !== job.payload.seq || !collecting(state)) return null;
  if ((await s.store.listPendingInbound(conv.id, 1)).length > 0) return null;
  return { conv, state };
}

async function sendProactive(s: TimerDeps, conv: Conversation, key: string, reply: { text: string; choices?: { id: string; label: string }[] }): Promise<void> {
  await writeOutbox(s, { key, conversationId: conv.id, channel: conv.channel, author: 'bot', reply });
}

export function intakeTimerHandlers(deps: { policies: Policies; templates: TemplateBook; shopName?: string }): Record<string, TimerHandler> {
  const text = labeler(deps.templates);
  const ctxOf = (s: TimerDeps): FlowCtx => ({
    policies: deps.policies,
    now: s.clock.now(),
    shopName: deps.shopName ?? s.config.shopName,
    cases: [],
    memberLevel: null,
    recentOrders: [],
    text,
  });

  const remind: TimerHandler = async (s, job) => {
    const found = await stillSilent(s, job);
    if (!found || !found.state.intake) return 'skipped';
    const { conv, state } = found;
    const q = question(ctxOf(s), found.state.intake, state.asking);
    const reply = renderReply(deps.templates, [{ key: 'idle.reminder' }, q.say], q.choices, {
      globals: { shopName: deps.shopName ?? s.config.shopName },
      previous: state.lastReply,
      seed: seedOf(conv.id, state.seq, 'remind'),
    });
    await sendProactive(s, conv, outboxKey('s', INTAKE_REMIND, conv.id, state.seq), reply);
    return 'reminded';
  };

  const close: TimerHandler = async (s, job) => {
    const seq = Number(job.payload.seq);
    const key = outboxKey('s', INTAKE_CLOSE, job.subjectId, seq);
    for (let attempt = 0; attempt < 8; attempt++) {
      const conv = await s.store.getConversation(job.subjectId);
      if (!conv) return 'skipped';
      const state = readState(conv.state);
      // Already closed by an earlier run of this job: make sure the message went out, nothing else.
      if (state.closedAtSeq === seq) {
        if (state.seq === seq && state.lastReply) await sendProactive(s, conv, key, { text: state.lastReply });
        return 'closed';
      }
      const found = await stillSilent(s, job);
      if (!found) return 'skipped';
      const reply = renderReply(deps.templates, [{ key: 'idle.closed' }], [], {
        globals: {},
        previous: state.lastReply,
        seed: seedOf(conv.id, seq, 'close'),
      });
      // What was collected is put aside, not thrown away: the shopper who comes back goes on from there (flow.ts).
      const parked = state.intake ? { intake: state.intake, asking: state.asking } : null;
      const next: DialogueState = { ...state, intake: null, asking: null, failures: {}, offered: [], pendingText: null, parked, closedAtSeq: seq, lastReply: reply.text };
      const updated = await s.store.updateConversation(conv.id, conv.version, { state: next as unknown as Record<string, unknown> });
      if (!updated) continue;
      await sendProactive(s, updated, key, reply);
      s.log.info({ conversationId: conv.id }, 'intake closed after the customer went silent');
      return 'closed';
    }
    throw new Error(`conversation ${job.subjectId}: could not close the intake (kept changing)`);
  };

  return { [INTAKE_REMIND]: remind, [INTAKE_CLOSE]: close };
}
