/**
 * The fake 抖店's shop tokens and `token.refresh` (doc https://op.jinritemai.com/docs/api-docs/162/1601), with the
 * platform's rules as the official SDKs document them (zsmhub/doudian-sdk core/create_token_request.go;
 * gitee.com/hansdq/dy-qc-sdk api/token_create/response):
 * - an access token lives 7 days, a refresh token 14 days; `expires_in` is answered as seconds to live (or,
 *   with `expiresInAsUnixTime`, as a unix time);
 * - refreshed more than an hour before the access token expires: the SAME pair, lifetimes unchanged;
 * - within that last hour: a new pair, the old one still valid for one hour;
 * - after expiry: a new pair, the old one dead.
 * An unknown or expired refresh token is refused with 50001 (token 生成失败, table guide-docs/212/1427); the
 * sub_code is the `dop.token-generate-failed` family the classifier knows, its exact suffix UNCONFIRMED.
 */
const HOUR_MS = 3600_000;
export const DD_ACCESS_TTL_MS = 7 * 24 * HOUR_MS;
export const DD_REFRESH_TTL_MS = 14 * 24 * HOUR_MS;
export const REFRESH_REFUSED = [50001, 'dop.token-generate-failed', 'refresh_token已过期或不存在'] as const;

interface Pair {
  accessToken: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
}

export type TokenCheck = 'ok' | 'unknown' | 'expired';

export class FakeDoudianTokens {
  /** Refresh token → its pair. Several pairs are alive during the one-hour overlap. */
  private readonly pairs = new Map<string, Pair>();
  refreshCalls = 0;
  /** Answer `expires_in` as a unix time in seconds, the other reading the SDKs give (see src/channels/doudian/token.ts). */
  expiresInAsUnixTime = false;
  private issued = 0;

  constructor(
    private readonly clock: { now(): number },
    first: { accessToken: string; refreshToken: string },
  ) {
    const now = clock.now();
    this.pairs.set(first.refreshToken, { accessToken: first.accessToken, accessExpiresAt: now + DD_ACCESS_TTL_MS, refreshExpiresAt: now + DD_REFRESH_TTL_MS });
  }

  check(accessToken: string): TokenCheck {
    const pair = [...this.pairs.values()].find((p) => p.accessToken === accessToken);
    if (!pair) return 'unknown';
    return this.clock.now() >= pair.accessExpiresAt ? 'expired' : 'ok';
  }

  /** Makes every access token issued so far answer "expired" (its refresh token still works). */
  expireAccessTokens(): void {
    for (const pair of this.pairs.values()) pair.accessExpiresAt = Math.min(pair.accessExpiresAt, this.clock.now());
  }

  validAccessTokens(): string[] {
    return [...this.pairs.values()].filter((p) => this.clock.now() < p.accessExpiresAt).map((p) => p.accessToken);
  }

  /** `data` of a successful token.refresh, or null when the refresh token is refused. */
  refresh(refreshToken: string): Record<string, unknown> | null {
    this.refreshCalls += 1;
    const now = this.clock.now();
    const pair = this.pairs.get(refreshToken);
    if (!pair || now >= pair.refreshExpiresAt) return null;
    if (pair.accessExpiresAt - now > HOUR_MS) return this.answer(refreshToken, pair);
    if (now < pair.accessExpiresAt) {
      pair.accessExpiresAt = Math.min(pair.accessExpiresAt, now + HOUR_MS);
      pair.refreshExpiresAt = Math.min(pair.refreshExpiresAt, now + HOUR_MS);
    } else {
      this.pairs.delete(refreshToken);
    }
    this.issued += 1;
    const next = { accessToken: `dd-access-${this.issued}`, accessExpiresAt: now + DD_ACCESS_TTL_MS, refreshExpiresAt: now + DD_REFRESH_TTL_MS };
    const nextRefresh = `dd-refresh-${this.issued}`;
    this.pairs.set(nextRefresh, next);
    return this.answer(nextRefresh, next);
  }

  private answer(refreshToken: string, pair: Pair): Record<string, unknown> {
    return {
      access_token: pair.accessToken,
      expires_in: Math.floor((this.expiresInAsUnixTime ? pair.accessExpiresAt : pair.accessExpiresAt - this.clock.now()) / 1000),
      refresh_token: refreshToken,
      scope: 'SCOPE',
      shop_name: '测试店铺',
      authority_id: '',
      auth_subject_type: 'Shop',
    };
  }
}
