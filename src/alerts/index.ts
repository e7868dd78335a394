/**
 * Early-warning alerts (issue #9 part 3): a risky message, a level-1 case, a low survey score, a spike, an SLA
 * breach or a group complaint. Every alert is stored once per key (the console feed lists them all) and then
 * pushed to WeCom by the `alerts` job: the managers' group robot, or app messages. Text is masked before it is
 * stored, so no phone number or address ever reaches WeCom or the feed.
 */
import type { Job } from 'bullmq';
import type { JobMap } from '../queues/jobs.js';
import type { Services } from '../services.js';
import type { Alert, ConsoleUser, NewAlert } from '../store/types.js';
import { deliverAlerts, scheduleAlerts, type DeliveryState } from './deliver.js';
import { maskAlertData, maskAlertText } from './mask.js';
import { notifyUser as notifyOne } from './notify.js';

export { scheduleAlerts } from './deliver.js';
export { alertExcerpt, maskAlertText } from './mask.js';

/**
 * Masks text/title (phones, addresses, ids), stores once per key (store.insertAlert), then enqueues the `alerts`
 * job (deduplicated) to push undelivered alerts to WeCom. Returns the stored alert; a repeat key returns the
 * first one and enqueues nothing new.
 *
 * `data.notifyUserIds` (console user ids) and `data.notifyText` ask the job to also send those people a
 * personal app message.
 */
export async function raiseAlert(s: Pick<Services, 'store' | 'queues' | 'log' | 'clock' | 'config'>, input: NewAlert): Promise<Alert> {
  const { inserted, row } = await s.store.insertAlert({
    ...input,
    title: maskAlertText(input.title),
    text: maskAlertText(input.text),
    ...(input.data ? { data: maskAlertData(input.data) as Record<string, unknown> } : {}),
  });
  if (!inserted) return row;
  s.log.info({ component: 'alerts', alertId: row.id, kind: row.kind, level: row.level }, 'alert raised');
  try {
    await scheduleAlerts(s, row.kind);
  } catch (err) {
    // Stored is what matters (the console shows it); the next alert or the start-up kick pushes it.
    s.log.warn({ component: 'alerts', alertId: row.id, err: err instanceof Error ? err.message : String(err) }, 'could not enqueue alert delivery');
  }
  return row;
}

/**
 * Tells one console user something through a WeCom app message when WECOM_CORP_ID + WECOM_AGENT_ID +
 * WECOM_APP_SECRET are set and the user has a wecomUserId; otherwise does nothing (the console shows it).
 * Never throws for platform errors (logs them). Respects the 30/min per-member budget shared with alerts.
 */
export async function notifyUser(
  s: Pick<Services, 'store' | 'log' | 'config' | 'redis' | 'clock'>,
  user: ConsoleUser,
  text: string,
): Promise<'sent' | 'skipped' | 'failed'> {
  return notifyOne(s, user, text);
}

/** The `alerts` queue processor; register with concurrency 1 (a Redis lock also keeps runs apart). */
export function alertsProcessor(s: Services): (job: Job<JobMap['alerts']>) => Promise<string> {
  const state: DeliveryState = { loggedNowhere: false };
  return (job) => deliverAlerts(s, state, job.data.reason);
}
