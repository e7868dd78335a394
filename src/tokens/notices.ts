/**
 * What the managers are told about a token (texts in templates/zh-CN/tokens.json), raised through the alerts
 * module: stored once per key, pushed to the managers' WeCom. Keys make each fact one alert: one warning per
 * refresh-token expiry date, one per refused refresh or missing refresh token per configured first token.
 */
import { raiseAlert } from '../alerts/index.js';
import type { AlertLevel } from '../store/types.js';
import type { BaseServices } from '../services.js';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';

export type TokenNotice =
  | { kind: 'expiring' | 'expired'; key: string; seed: string; refreshExpiresAt: number }
  | { kind: 'refused'; key: string; seed: string; code: string }
  | { kind: 'no_refresh'; key: string; seed: string };

const DAY_MS = 24 * 3600_000;
const LEVEL: Record<TokenNotice['kind'], AlertLevel> = { expiring: 'warning', expired: 'critical', refused: 'critical', no_refresh: 'warning' };

/** Shanghai calendar date: the managers' day, whatever the server's time zone. */
const dateOf = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

export function tokenAlert(notice: TokenNotice, now: number, book: TemplateBook) {
  // Texts per platform: `tokens.platform.<prefix of the store key>` (douyin, doudian).
  const platformKey = notice.key.split(':')[0] ?? '';
  const vars: Record<string, string | number> = {
    platform: renderTemplate(book, `tokens.platform.${platformKey}`),
    impact: renderTemplate(book, `tokens.impact.${platformKey}`),
    action: renderTemplate(book, `tokens.action.${platformKey}`),
  };
  let id: string = notice.seed;
  if (notice.kind === 'expiring' || notice.kind === 'expired') {
    vars.date = dateOf(notice.refreshExpiresAt);
    vars.days = Math.max(1, Math.ceil((notice.refreshExpiresAt - now) / DAY_MS));
    id = String(notice.refreshExpiresAt);
  } else if (notice.kind === 'refused') {
    vars.code = notice.code;
    id = `${notice.seed}:${notice.code}`;
  }
  return {
    key: `token:${notice.key}:${notice.kind}:${id}`,
    kind: 'token',
    level: LEVEL[notice.kind],
    title: renderTemplate(book, `tokens.${notice.kind}.title`, vars),
    text: renderTemplate(book, `tokens.${notice.kind}.text`, vars),
    data: { platform: platformKey, notice: notice.kind },
  };
}

export function tokenNotifier(s: Pick<BaseServices, 'store' | 'queues' | 'log' | 'clock' | 'config' | 'data'>): (notice: TokenNotice) => Promise<void> {
  return async (notice) => {
    await raiseAlert(s, tokenAlert(notice, s.clock.now(), s.data.templates));
  };
}
