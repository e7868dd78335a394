/**
 * Processor of the `timer` queue: business timers by `kind`. The intake's idle reminder and close are
 * registered here; later stages (SLA, surveys, follow-ups) add their kinds to the same map.
 */
import type { Job } from 'bullmq';
import { intakeTimerHandlers, type TimerHandler } from '../../src/dialogue/timers.js';
import { urgeTimerHandlers } from '../../src/dialogue/urge.js';
import type { JobMap } from '../../src/queues/jobs.js';
import { DIGEST_TIMER, onDigestTimer } from '../../src/analytics/digest.js';
import { onSlaTimer, SLA_TIMER } from '../../src/handoff/sla.js';
import { onSessionTransferTimer, SESSION_TRANSFER_TIMER } from '../../src/channels/wecom/session-transfer.js';
import { onWecomSweepTimer, WECOM_SWEEP_TIMER } from '../../src/channels/wecom/sweep.js';
import { followupTimerHandlers } from '../../src/followup/index.js';
import { careTimerHandlers } from '../../src/care/stale.js';
import { onOverdueTimer, OVERDUE_TIMER } from '../../src/improve/overdue.js';
import type { OperatorData } from '../../src/operator-data.js';
import type { Services } from '../../src/services.js';

export type { TimerHandler } from '../../src/dialogue/timers.js';

export function defaultTimerHandlers(data: OperatorData): Record<string, TimerHandler> {
  return {
    ...intakeTimerHandlers(data),
    ...urgeTimerHandlers(data),
    [SLA_TIMER]: onSlaTimer,
    ...followupTimerHandlers(data),
    [DIGEST_TIMER]: onDigestTimer,
    [SESSION_TRANSFER_TIMER]: onSessionTransferTimer,
    [WECOM_SWEEP_TIMER]: onWecomSweepTimer,
    ...careTimerHandlers({ templates: data.templates, cfg: data.care.logistics }),
    [OVERDUE_TIMER]: (s, job) => onOverdueTimer(s, job),
  };
}

export function timerProcessor(s: Services, handlers: Record<string, TimerHandler> = defaultTimerHandlers(s.data)) {
  return async (job: Job<JobMap['timer']>): Promise<string> => {
    const handler = handlers[job.data.kind];
    if (!handler) {
      // Retrying cannot make an unknown kind known: record and drop.
      s.log.warn({ kind: job.data.kind, jobId: job.id }, 'timer of an unknown kind ignored');
      return 'unknown';
    }
    return handler(s, job.data);
  };
}
