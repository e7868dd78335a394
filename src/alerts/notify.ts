/**
 * App messages to one member within the shared per-member budget (30/min, 1000/h). Used by notifyUser for
 * anything (assignments, reminders) and by the alerts processor for the people an alert names.
 */
import type { Services } from '../services.js';
import type { ConsoleUser } from '../store/types.js';
import { createBudget } from './budget.js';
import { APP_TEXT_MAX, cutBytes } from './format.js';
import { appBlock, BLOCK_MS, memberWindows } from './keys.js';
import { maskAlertText } from './mask.js';
import { appConfigOf, sendAppText, type AppConfig } from './wecom.js';

type Deps = Pick<Services, 'log' | 'config' | 'redis' | 'clock'>;

export type MemberOutcome = { sent: true } | { sent: false; retryAt: number } | { sent: false; permanent: string };

/** Takes budget for `wecomUserIds`, then sends one text. `retryAt` is when budget or WeCom allow again. */
export async function sendToMembers(s: Deps, app: AppConfig, wecomUserIds: string[], text: string): Promise<MemberOutcome & { invalidUsers?: string[] }> {
  const prefix = s.config.queuePrefix;
  const now = s.clock.now();
  const budget = createBudget(s.redis);
  const windows = wecomUserIds.flatMap((u) => memberWindows(prefix, app.agentId, u));
  const taken = await budget.take(windows, [appBlock(prefix, app.agentId)], now);
  if (!taken.ok) return { sent: false, retryAt: taken.retryAt };
  const out = await sendAppText(s, app, wecomUserIds, cutBytes(text, APP_TEXT_MAX));
  if (out.ok) return out.invalidUsers ? { sent: true, invalidUsers: out.invalidUsers } : { sent: true };
  if (out.retry) {
    if (out.rateLimited) await budget.block(appBlock(prefix, app.agentId), now + BLOCK_MS, now);
    return { sent: false, retryAt: now + (out.rateLimited ? BLOCK_MS : 30_000) };
  }
  return { sent: false, permanent: out.reason };
}

export async function notifyUser(s: Deps & Pick<Services, 'store'>, user: ConsoleUser, text: string): Promise<'sent' | 'skipped' | 'failed'> {
  const app = appConfigOf(s.config);
  if (!app || !user.wecomUserId) return 'skipped';
  const log = s.log.child({ component: 'alerts', userId: user.id });
  try {
    const out = await sendToMembers(s, app, [user.wecomUserId], maskAlertText(text));
    if (out.sent && out.invalidUsers?.includes(user.wecomUserId)) {
      log.warn('WeCom does not know this user’s wecomUserId; app message not delivered');
      return 'failed';
    }
    if (out.sent) return 'sent';
    if ('retryAt' in out) log.warn({ retryAt: new Date(out.retryAt).toISOString() }, 'app message budget used up or WeCom busy; not sent');
    else log.warn({ reason: out.permanent }, 'app message refused by WeCom');
    return 'failed';
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'app message failed');
    return 'failed';
  }
}
