/** BullMQ processor for 'wecom-sync': pull one kf account's new messages (one sync per account at a time). */
import type { Job } from 'bullmq';
import type { WecomClient } from '../../src/channels/wecom/client.js';
import { requestSync } from '../../src/channels/wecom/sync-runner.js';
import { maskId } from '../../src/core/mask.js';
import type { JobMap } from '../../src/queues/jobs.js';
import type { Services } from '../../src/services.js';

/** Registered only when WeCom is configured, with the process's one WeCom client. */
export function wecomSyncProcessor(s: Services, client: WecomClient): (job: Job<JobMap['wecom-sync']>) => Promise<void> {
  return async (job) => {
    const { openKfId, token } = job.data;
    const end = s.metrics.processing.startTimer({ stage: 'wecom_sync' });
    try {
      const out = await requestSync(s, client, openKfId, token);
      if (!out.ran) {
        // The lock holder normally serves our request through the dirty flag; if it crashed, its lock only
        // expires later and nobody would be left to pull. One throttled follow-up per account covers that.
        await s.queues.add(
          'wecom-sync',
          { openKfId, token: null },
          { delay: out.lockTtlMs + 250, deduplication: { id: `wecom-sync-after-${openKfId}`, ttl: out.lockTtlMs + 250 } },
        );
      }
      s.log.debug({ openKfId: maskId(openKfId), ran: out.ran, ingested: out.ingested }, 'kf sync done');
    } finally {
      end();
    }
  };
}
