/**
 * The fake Douyin platform's user tokens, as developer.open-douyin.com describes them
 * (…/dop/develop/openapi/account-permission/refresh-access-token and …/sdk/mobile-app/permission/get-permission-token):
 * an access_token lives 15 days, its refresh_token 30 days. POST /oauth/refresh_token/ (form: client_key,
 * grant_type=refresh_token, refresh_token) renews an unexpired access_token in place (same token, new 15 days)
 * and issues a new one once it has expired; the refresh_token keeps its own expiry. An expired refresh_token
 * answers error_code 10010, a missing parameter 10005. The official example sends expires_in as strings.
 */
import type { Clock } from '../../../src/core/clock.js';

export const ACCESS_TTL_MS = 15 * 24 * 3600_000;
export const REFRESH_TTL_MS = 30 * 24 * 3600_000;
export const REFRESH_EXPIRED = 10010;
export const MISSING_PARAM = 10005;
/** Fake-only: the real code for an unknown refresh_token or client_key is not documented. */
export const UNKNOWN_REFRESH = 99410;

export type TokenCheck = 'ok' | 'invalid' | 'expired';

export class FakeDouyinTokens {
  /** Every POST /oauth/refresh_token/, answered or refused. */
  refreshCalls = 0;
  private readonly access = new Map<string, { expiresAt: number }>();
  private readonly refresh = new Map<string, { expiresAt: number; accessToken: string }>();
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly opts: { clientKey: string; openId: string; accessToken: string; refreshToken: string },
  ) {
    const now = clock.now();
    this.access.set(opts.accessToken, { expiresAt: now + ACCESS_TTL_MS });
    this.refresh.set(opts.refreshToken, { expiresAt: now + REFRESH_TTL_MS, accessToken: opts.accessToken });
  }

  check(token: string | undefined): TokenCheck {
    const t = token ? this.access.get(token) : undefined;
    if (!t) return 'invalid';
    return this.clock.now() >= t.expiresAt ? 'expired' : 'ok';
  }

  /** As if 15 days had passed for every access token (msg_ids stay fresh, which a clock jump would not allow). */
  expireAccessTokens(): void {
    for (const t of this.access.values()) t.expiresAt = this.clock.now();
  }

  expireRefreshTokens(): void {
    for (const r of this.refresh.values()) r.expiresAt = this.clock.now();
  }

  /** The tokens the platform currently accepts. */
  validAccessTokens(): string[] {
    return [...this.access.keys()].filter((t) => this.check(t) === 'ok');
  }

  /** Answers POST /oauth/refresh_token/ with the documented `{data, message}` envelope. */
  handleRefresh(form: URLSearchParams): Record<string, unknown> {
    this.refreshCalls++;
    const fail = (code: number, description: string) => ({ data: { error_code: code, description }, message: 'error' });
    const clientKey = form.get('client_key');
    const refreshToken = form.get('refresh_token');
    if (!clientKey || !refreshToken || form.get('grant_type') !== 'refresh_token') return fail(MISSING_PARAM, '缺少参数');
    const r = this.refresh.get(refreshToken);
    if (clientKey !== this.opts.clientKey || !r) return fail(UNKNOWN_REFRESH, 'refresh_token 无效');
    const now = this.clock.now();
    if (now >= r.expiresAt) return fail(REFRESH_EXPIRED, 'refresh_token 过期');
    const current = this.access.get(r.accessToken);
    if (!current || now >= current.expiresAt) {
      this.access.delete(r.accessToken);
      r.accessToken = `act.renewed-${++this.seq}`;
    }
    this.access.set(r.accessToken, { expiresAt: now + ACCESS_TTL_MS });
    return {
      data: {
        access_token: r.accessToken,
        description: '',
        error_code: 0,
        expires_in: String(ACCESS_TTL_MS / 1000),
        open_id: this.opts.openId,
        refresh_expires_in: String(Math.floor((r.expiresAt - now) / 1000)),
        refresh_token: refreshToken,
        scope: 'im.direct_message,im.multimedia_message',
      },
      message: 'success',
    };
  }
}
