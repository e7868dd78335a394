/**
 * The answer to the 催件 check ("did the parcel arrive?", asked by the timer in urge-timer.ts after the
 * promised days). Arrived: the case is noted. Not arrived: the wish the shopper gave for this case
 * (「过两天还不到再退款」) is applied; without one, the other logistics resolutions are offered. Pure.
 */
import type { Case, Choice, Resolution } from '../core/types.js';
import type { Effect, FlowCtx, Outcome, Say } from './outcome.js';
import { allowedResolutions } from './policies.js';
import type { DialogueState } from './state.js';
import type { Turn } from './turn.js';

export const ARRIVED_YES = 'arrived_yes';
export const ARRIVED_NO = 'arrived_no';

export function arrivalChoices(ctx: Pick<FlowCtx, 'text'>): Choice[] {
  return [
    { id: ARRIVED_YES, label: ctx.text('choice.arrived_yes') },
    { id: ARRIVED_NO, label: ctx.text('choice.arrived_no') },
  ];
}

/** The case's 催件 record (set by cases/create.ts): the wish for a parcel that still does not come. */
export function urgeFallbackOf(c: Case): Resolution | null {
  const urge = c.data.urge as { fallback?: unknown } | undefined;
  return typeof urge?.fallback === 'string' ? (urge.fallback as Resolution) : null;
}

function done(s: DialogueState, say: Say[], effect: Effect | null, choices: Choice[] = [], keep = false): Outcome {
  return { state: { ...s, arrivalCheck: keep ? s.arrivalCheck : null, offered: choices }, say, choices, effect };
}

/** The step for a message while the check waits; null when the message is about something else. */
export function answerArrival(s: DialogueState, t: Turn, ctx: FlowCtx): Outcome | null {
  const caseId = s.arrivalCheck;
  if (!caseId || s.intake) return null;
  const c = ctx.cases.find((x) => x.id === caseId);
  if (!c) return null;
  const label = (r: Resolution): string => ctx.text(`label.resolution.${r}`);
  const others: Resolution[] = c.category ? allowedResolutions(ctx.policies, c.category).filter((r) => r !== 'urge_delivery') : [];

  // A pick among the resolutions offered after "not yet".
  const picked = t.choiceId?.startsWith('res_') ? (t.choiceId.slice(4) as Resolution) : t.resolution;
  if (picked && others.includes(picked)) {
    return done(s, [{ key: 'urge.switched', vars: { resolution: label(picked) } }], { type: 'arrival', caseId, arrived: false, resolution: picked });
  }
  const arrived = t.choiceId === ARRIVED_YES ? 'yes' : t.choiceId === ARRIVED_NO ? 'no' : (t.arrival ?? (t.choiceId ? null : t.yesNo));
  if (arrived === 'yes') return done(s, [{ key: 'urge.arrived' }], { type: 'arrival', caseId, arrived: true, resolution: null });
  if (arrived !== 'no') return null;
  const fallback = urgeFallbackOf(c);
  if (fallback && others.includes(fallback)) {
    return done(s, [{ key: 'urge.switched', vars: { resolution: label(fallback) } }], { type: 'arrival', caseId, arrived: false, resolution: fallback });
  }
  const choices = others.map((r) => ({ id: `res_${r}`, label: label(r) }));
  return done(s, [{ key: 'urge.not_arrived' }], { type: 'arrival', caseId, arrived: false, resolution: null }, choices, true);
}
