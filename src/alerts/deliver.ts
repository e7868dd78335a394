/**
 * The `alerts` job: pushes undelivered alerts to WeCom, oldest first, several per message.
 * - Group robot (WECOM_ROBOT_KEY) when set, else app messages to managers and supervisors with a wecomUserId.
 * - Budgets are counted in Redis before each send, so several processes never exceed 20/min per robot or
 *   30/min per member together; an exhausted budget or a 45009 re-enqueues the job for when it frees up.
 * - `markAlertsDelivered` only after WeCom accepted the message: a crash in between sends it again (at least
 *   once), nothing is ever dropped. One run at a time (Redis lock), so two workers never send the same batch.
 * - People an alert names in `data.notifyUserIds` (console user ids) also get their own app message.
 */
import { randomUUID } from 'node:crypto';
import { DELETE_IF_EQUAL } from '../channels/wecom/token-cache.js';
import type { Services } from '../services.js';
import type { Alert } from '../store/types.js';
import { createBudget } from './budget.js';
import { renderApp, renderRobot, type Rendered } from './format.js';
import { BLOCK_MS, deliveryLock, notifiedSet, robotBlock, robotWindow } from './keys.js';
import { sendToMembers } from './notify.js';
import { appConfigOf, sendRobotMarkdown, type AppConfig } from './wecom.js';

const PAGE = 200;
const MAX_ROUNDS = 20;
const LOCK_MS = 120_000;
const BUSY_RETRY_MS = 2_000;
const MAX_DELAY_MS = 10 * 60_000;
/** A personal notification about something older than this is no longer useful (the console has it). */
const NOTIFY_MAX_AGE_MS = 24 * 3600_000;
const NOTIFIED_TTL_S = 30 * 24 * 3600;
const BROADCAST_ROLES = new Set(['manager', 'supervisor']);

export interface DeliveryState {
  /** "Nowhere to push alerts" is logged once per process, not on every job. */
  loggedNowhere: boolean;
}

type Target = { kind: 'robot'; key: string } | { kind: 'app'; app: AppConfig; userIds: string[] };
type Step = { done: true } | { retryAt: number } | { failed: string };

/** Enqueues the (deduplicated) alerts job: one active and at most one waiting or delayed run. */
export async function scheduleAlerts(s: Pick<Services, 'queues'>, reason: string, delayMs = 0): Promise<void> {
  await s.queues.add(
    'alerts',
    { reason },
    { deduplication: { id: 'alerts', keepLastIfActive: true }, ...(delayMs > 0 ? { delay: Math.min(delayMs, MAX_DELAY_MS) } : {}) },
  );
}

async function targetOf(s: Services, app: AppConfig | null): Promise<Target | null> {
  const robotKey = s.config.alerts.robotKey;
  if (robotKey) return { kind: 'robot', key: robotKey };
  if (!app) return null;
  const users = await s.store.listUsers();
  const userIds = [...new Set(users.filter((u) => BROADCAST_ROLES.has(u.role) && u.wecomUserId).map((u) => u.wecomUserId as string))];
  return userIds.length > 0 ? { kind: 'app', app, userIds } : null;
}

export async function deliverAlerts(s: Services, state: DeliveryState, reason: string): Promise<string> {
  const log = s.log.child({ component: 'alerts', reason });
  const app = appConfigOf(s.config);
  if (!s.config.alerts.robotKey && !app) {
    if (!state.loggedNowhere) {
      state.loggedNowhere = true;
      log.info('no WeCom robot key or app configured: alerts stay in the console feed only');
    }
    return 'not configured';
  }
  const lockKey = deliveryLock(s.config.queuePrefix);
  const lockValue = randomUUID();
  if ((await s.redis.set(lockKey, lockValue, 'PX', LOCK_MS, 'NX')) === null) {
    // Another run is sending; come back shortly for anything it listed too early to see.
    await scheduleAlerts(s, 'busy', BUSY_RETRY_MS);
    return 'busy';
  }
  let delivered = 0;
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const pending = await s.store.listAlerts({ undelivered: true, limit: PAGE });
      if (pending.length === 0) return `delivered ${delivered}`;
      const target = await targetOf(s, app);

      // Personal messages first: an alert whose person cannot be told yet (budget) waits with them.
      const named = app ? await notifyNamed(s, app, pending, target?.kind === 'app' ? target.userIds : []) : { waiting: new Set<string>(), retryAt: null };
      const ready = pending.filter((a) => !named.waiting.has(a.id));

      if (!target) {
        if (!state.loggedNowhere) {
          state.loggedNowhere = true;
          log.info('no manager or supervisor has a wecomUserId: alerts stay in the console feed only');
        }
        return named.retryAt === null ? `no recipients (${delivered} delivered)` : await defer(s, named.retryAt, delivered);
      }
      const messages = target.kind === 'robot' ? renderRobot(s.data.templates, ready) : renderApp(s.data.templates, ready);
      for (const message of messages) {
        const step = await sendOne(s, target, message);
        if ('retryAt' in step) return await defer(s, step.retryAt, delivered);
        if ('failed' in step) {
          log.error({ target: target.kind, error: step.failed }, 'WeCom refused the alert message; alerts stay undelivered until the next alert');
          return `failed (${delivered} delivered)`;
        }
        await s.store.markAlertsDelivered(message.alertIds, new Date(s.clock.now()).toISOString());
        delivered += message.alertIds.length;
      }
      if (named.retryAt !== null) return await defer(s, named.retryAt, delivered);
      // Round again: alerts raised while this one was sending are picked up by the same run.
    }
    await scheduleAlerts(s, 'more');
    return `delivered ${delivered}, more pending`;
  } finally {
    await s.redis.eval(DELETE_IF_EQUAL, 1, lockKey, lockValue);
  }
}

async function defer(s: Services, retryAt: number, delivered: number): Promise<string> {
  const delay = Math.max(1_000, retryAt - s.clock.now());
  await scheduleAlerts(s, 'rate limit', delay);
  s.log.info({ component: 'alerts', delayMs: delay, delivered }, 'alert budget used up; delivery continues later');
  return `deferred ${delay} ms (${delivered} delivered)`;
}

async function sendOne(s: Services, target: Target, message: Rendered): Promise<Step> {
  const prefix = s.config.queuePrefix;
  const now = s.clock.now();
  if (target.kind === 'app') {
    const out = await sendToMembers(s, target.app, target.userIds, message.content);
    if (out.sent) {
      if (out.invalidUsers) s.log.warn({ component: 'alerts', invalid: out.invalidUsers.length }, 'some alert recipients are unknown to WeCom');
      return { done: true };
    }
    return 'retryAt' in out ? { retryAt: out.retryAt } : { failed: out.permanent };
  }
  const budget = createBudget(s.redis);
  const blockKey = robotBlock(prefix, target.key);
  const taken = await budget.take([robotWindow(prefix, target.key)], [blockKey], now);
  if (!taken.ok) return { retryAt: taken.retryAt };
  const out = await sendRobotMarkdown(s.config.wecomApiBase, target.key, message.content);
  if (out.ok) return { done: true };
  if (out.retry) {
    if (out.rateLimited) {
      // Someone else shares the robot, or WeCom counts differently: wait a full block, as WeCom does.
      await budget.block(blockKey, now + BLOCK_MS, now);
      return { retryAt: now + BLOCK_MS };
    }
    return { retryAt: now + 30_000 };
  }
  return { failed: out.reason };
}

function namedUsers(a: Alert): string[] {
  const ids = a.data.notifyUserIds;
  return Array.isArray(ids) ? ids.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Personal app messages for the people alerts name; each person once per alert (a Redis set remembers).
 * Alerts whose person is out of budget are returned in `waiting`, with the time to try again.
 */
async function notifyNamed(
  s: Services,
  app: AppConfig,
  alerts: Alert[],
  broadcastTo: string[],
): Promise<{ waiting: Set<string>; retryAt: number | null }> {
  const now = s.clock.now();
  const waiting = new Set<string>();
  let retryAt: number | null = null;
  for (const a of alerts) {
    const named = namedUsers(a);
    if (named.length === 0) continue;
    const key = notifiedSet(s.config.queuePrefix, a.id);
    const done = new Set(await s.redis.smembers(key));
    for (const userId of named) {
      if (done.has(userId)) continue;
      const user = await s.store.getUser(userId);
      const stale = now - Date.parse(a.createdAt) > NOTIFY_MAX_AGE_MS;
      // No WeCom id, or the broadcast reaches this person anyway, or too late to matter: nothing to send.
      if (user?.wecomUserId && !stale && !broadcastTo.includes(user.wecomUserId)) {
        const text = typeof a.data.notifyText === 'string' ? a.data.notifyText : `${a.title}\n${a.text}`;
        const out = await sendToMembers(s, app, [user.wecomUserId], text);
        if ('retryAt' in out) {
          waiting.add(a.id);
          retryAt = retryAt === null ? out.retryAt : Math.min(retryAt, out.retryAt);
          continue;
        }
        if (!out.sent) s.log.warn({ component: 'alerts', alertId: a.id, error: out.permanent }, 'personal alert message refused');
        else if (out.invalidUsers?.length) s.log.warn({ component: 'alerts', alertId: a.id }, 'WeCom does not know the user named by the alert');
      }
      await s.redis.multi().sadd(key, userId).expire(key, NOTIFIED_TTL_S).exec();
    }
  }
  return { waiting, retryAt };
}
