/**
 * 催件 follow-up: when a case is submitted with 催件, a timer is set for the days promised to the shopper
 * (policies.urgeDelivery.checkAfterDays, divided by TIME_SCALE). When it fires and the case still waits on
 * 催件, the bot asks whether the parcel arrived and keeps the case id in the dialogue state, so the answer
 * (arrival.ts) notes it or switches the case to the shopper's fallback wish. The job id is the case id and
 * the question's outbox key too: a re-run asks once.
 */
import { scaled } from '../../config/load-config.js';
import type { Case, Resolution } from '../core/types.js';
import { jobId, outboxKey } from '../pipeline/keys.js';
import { writeOutbox } from '../pipeline/outbox.js';
import type { Store } from '../store/types.js';
import { addEventOnce, changeCase } from '../store/versioned.js';
import type { TemplateBook } from '../../templates/render.js';
import { arrivalChoices } from './arrival.js';
import { orderTail } from './intake.js';
import type { Policies } from './policies.js';
import { labeler, renderReply, seedOf } from './replies.js';
import { readState, type DialogueState } from './state.js';
import type { TimerDeps, TimerHandler } from './timers.js';

export const URGE_CHECK = 'urge-check';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WAITING: readonly Case['status'][] = ['open', 'escalated', 'assigned'];

export const urgeJobId = (caseId: string): string => jobId(URGE_CHECK, caseId);

export async function scheduleUrgeCheck(s: TimerDeps, opts: { caseId: string; policies: Policies }): Promise<void> {
  const delay = scaled(s.config, opts.policies.urgeDelivery.checkAfterDays * DAY);
  await s.queues.add('timer', { kind: URGE_CHECK, subjectId: opts.caseId, dueAt: s.clock.now() + delay, payload: {} }, { jobId: urgeJobId(opts.caseId), delay });
}

export function urgeTimerHandlers(deps: { policies: Policies; templates: TemplateBook }): Record<string, TimerHandler> {
  const text = labeler(deps.templates);
  const check: TimerHandler = async (s, job) => {
    const key = outboxKey('s', URGE_CHECK, job.subjectId);
    for (let attempt = 0; attempt < 8; attempt++) {
      const c = await s.store.getCase(job.subjectId);
      // Resolved, closed, or switched to another resolution meanwhile: nothing to ask.
      if (!c || c.resolution !== 'urge_delivery' || !WAITING.includes(c.status)) return 'skipped';
      const conv = await s.store.getConversation(c.conversationId);
      if (!conv) return 'skipped';
      const state = readState(conv.state);
      if (state.arrivalCheck === c.id && state.lastReply) {
        // Asked by an earlier run of this job: make sure the question went out, nothing else.
        await writeOutbox(s, { key, conversationId: conv.id, channel: conv.channel, author: 'bot', reply: { text: state.lastReply, choices: state.offered } });
        return 'asked';
      }
      // A person has the conversation: they follow the case up themselves.
      if (conv.mode !== 'bot') return 'skipped';
      // An intake going on keeps its question: ask once the shopper has had the time to finish it.
      if (state.intake) {
        const later = scaled(s.config, deps.policies.timers.closeIntakeMinutes * MINUTE);
        await s.queues.add('timer', { ...job, dueAt: s.clock.now() + later }, { jobId: jobId(URGE_CHECK, c.id, state.seq), delay: later });
        return 'later';
      }
      const choices = arrivalChoices({ text });
      const reply = renderReply(deps.templates, [{ key: 'urge.check', vars: { orderTail: orderTail(c.orderId) } }], choices, {
        globals: {},
        previous: state.lastReply,
        seed: seedOf(c.id, 'urge'),
      });
      const next: DialogueState = { ...state, arrivalCheck: c.id, offered: reply.choices ?? choices, lastReply: reply.text };
      const updated = await s.store.updateConversation(conv.id, conv.version, { state: next as unknown as Record<string, unknown> });
      if (!updated) continue;
      await writeOutbox(s, { key, conversationId: conv.id, channel: conv.channel, author: 'bot', reply });
      return 'asked';
    }
    throw new Error(`case ${job.subjectId}: could not ask about the parcel (conversation kept changing)`);
  };
  return { [URGE_CHECK]: check };
}

/**
 * The shopper's answer to the check, on the case: arrived (noted), or not (switched to the resolution they
 * chose, the agent told by the event). Keyed by the inbox row, so a re-run changes nothing twice.
 */
export async function applyArrival(s: { store: Store }, input: { caseId: string; arrived: boolean; resolution: Resolution | null; key: string }): Promise<void> {
  const { caseId, arrived, resolution, key } = input;
  await changeCase(s.store, caseId, (c) => {
    const urge = { ...((c.data.urge as Record<string, unknown> | undefined) ?? {}), arrived };
    if (resolution && c.resolution === 'urge_delivery') return { resolution, data: { ...c.data, urge: { ...urge, switchedTo: resolution } } };
    return urge.arrived === (c.data.urge as { arrived?: unknown } | undefined)?.arrived ? null : { data: { ...c.data, urge } };
  });
  await addEventOnce(s.store, { caseId, type: arrived ? 'parcel_arrived' : 'parcel_not_arrived', actor: 'customer', key, data: { resolution } });
}
