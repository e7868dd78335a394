/**
 * No message waits for a callback that never comes: WeCom calls back only with a token to pull (kf_msg_or_event),
 * so messages that arrived while we were down, or whose callback was lost, sit in kf/sync_msg until the next
 * callback of that account. A sweep asks kf/account/list for every kf account and requests a token-less sync of
 * each — at worker start and then every {@link SWEEP_EVERY_MS}.
 *
 * Frequency: sync_msg without a callback token is limited much harder than with one; WeCom's staff describe the
 * limit as 10 token-less calls a minute, then 45009 for a minute
 * (developers.weixin.qq.com/community/enterprisewechat/doc/0006e047caca30ab50ec916195b800). The sweep therefore
 * spaces its accounts {@link TOKENLESS_SPACING_MS} apart (≤ 10 a minute) and repeats only every five minutes;
 * each account's request is deduplicated, and it goes through the same per-account lock as callbacks
 * (sync-runner.ts), so a sweep never runs beside a callback's sync of the same account.
 */
import { maskId } from '../../core/mask.js';
import type { JobMap } from '../../queues/jobs.js';
import type { Services } from '../../services.js';
import type { WecomClient } from './client.js';

export const WECOM_SWEEP_TIMER = 'wecom_sweep';
export const WECOM_SWEEP_SCHEDULER = 'wecom-sweep';
export const SWEEP_EVERY_MS = 5 * 60_000;
/** 6 s apart: at most 10 token-less syncs a minute. */
export const TOKENLESS_SPACING_MS = 6_000;
const PAGE = 100;

/** Every open_kfid of the corp, page by page (kf/account/list answers at most 100 per call). */
export async function listKfAccounts(client: WecomClient): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = (await client.listAccounts(offset, PAGE)).account_list ?? [];
    for (const a of page) if (typeof a.open_kfid === 'string' && a.open_kfid) ids.push(a.open_kfid);
    if (page.length < PAGE) return ids;
  }
}

/** Requests one token-less sync per kf account, spaced and deduplicated. */
export async function sweepKfAccounts(s: Pick<Services, 'queues' | 'log'>, client: WecomClient): Promise<number> {
  const accounts = await listKfAccounts(client);
  for (const [i, openKfId] of accounts.entries()) {
    const delay = i * TOKENLESS_SPACING_MS;
    await s.queues.add('wecom-sync', { openKfId, token: null }, { delay, deduplication: { id: `wecom-sweep-${openKfId}`, ttl: delay + TOKENLESS_SPACING_MS } });
  }
  s.log.info({ accounts: accounts.length, first: accounts[0] ? maskId(accounts[0]) : null }, 'kf accounts swept for missed messages');
  return accounts.length;
}

/** The `timer` handler of the sweep. */
export const onWecomSweepTimer = async (s: Services): Promise<string> => {
  const client = s.clients.wecom;
  if (!client) return 'wecom off';
  const n = await sweepKfAccounts(s, client);
  return `${n} kf accounts swept`;
};

const SWEEP_JOB: JobMap['timer'] = { kind: WECOM_SWEEP_TIMER, subjectId: 'all', dueAt: 0, payload: {} };

/** At worker start: one sweep now, and the repeating one (one scheduler id, updated in place). */
export async function scheduleWecomSweep(s: Pick<Services, 'queues' | 'log' | 'config'>): Promise<void> {
  if (!s.config.wecom) return;
  const timer = s.queues.get('timer');
  await timer.upsertJobScheduler(WECOM_SWEEP_SCHEDULER, { every: SWEEP_EVERY_MS }, { name: 'timer', data: SWEEP_JOB });
  await s.queues.add('timer', SWEEP_JOB, { deduplication: { id: 'wecom-sweep-start', ttl: TOKENLESS_SPACING_MS } });
  s.log.info({ everyMs: SWEEP_EVERY_MS }, 'kf account sweep scheduled');
}
