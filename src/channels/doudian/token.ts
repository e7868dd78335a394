/**
 * 抖店's refresh flow for the shop's access token: `token.refresh` on the signed API like any method, without an
 * access_token, param_json `{grant_type: "refresh_token", refresh_token}` (doc https://op.jinritemai.com/docs/
 * api-docs/162/1601; official Go SDK zsmhub/doudian-sdk core/access_token_builder.go RefreshAccessToken,
 * api/token_refresh/request/token_refresh_request.go). Answer `data: {access_token, expires_in, refresh_token,
 * scope, shop_id, shop_name, authority_id, auth_subject_type}` with code 10000.
 * - The access token lasts 7 days by default, the refresh token 14 days (SDK field comments, core/create_token_request.go).
 * - Refreshed more than an hour before expiry, the platform returns the SAME two tokens with their lifetimes
 *   unchanged; within the last hour or after expiry it returns new ones (the old pair stays valid one more hour
 *   when still unexpired). Field comment of token_create in the SDK generated from the official docs
 *   (gitee.com/hansdq/dy-qc-sdk api/token_create/response, pkg.go.dev).
 * - `expires_in` is described as seconds to live (core/create_token_request.go: 单位（秒），默认有效期：7天) and as a
 *   unix time in seconds (api/token_refresh/response: Unix时间戳：秒); which one the gateway sends is UNCONFIRMED, so
 *   a value that can only be a unix time (after 2001-09-09) is read as one, anything smaller as seconds to live.
 */
import { PlatformError } from '../../core/errors.js';
import type { Grant } from '../../tokens/keeper.js';
import type { DoudianCall } from './call.js';

const DAY_MS = 24 * 3600_000;
/** The refresh token's documented lifetime; a refresh that returns a new one starts it again. */
export const DOUDIAN_REFRESH_TTL_MS = 14 * DAY_MS;
const UNIX_TIME_FROM = 1_000_000_000;

function expiresAt(v: unknown, now: number): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return null;
  return n >= UNIX_TIME_FROM ? n * 1000 : now + n * 1000;
}

export async function refreshDoudianToken(call: DoudianCall, refreshToken: string, now: number): Promise<Grant> {
  const data = await call('token.refresh', { grant_type: 'refresh_token', refresh_token: refreshToken }, null);
  const accessToken = typeof data.access_token === 'string' ? data.access_token : '';
  const accessExpiresAt = expiresAt(data.expires_in, now);
  if (!accessToken || accessExpiresAt === null) {
    throw new PlatformError({ platform: 'doudian', code: 'bad_refresh', message: 'token.refresh answer without access_token or expires_in' });
  }
  const next = typeof data.refresh_token === 'string' && data.refresh_token ? data.refresh_token : refreshToken;
  return {
    accessToken,
    accessExpiresAt,
    refreshToken: next,
    // The same refresh token keeps its expiry (the keeper keeps what it knew); a new one lives 14 days.
    refreshExpiresAt: next === refreshToken ? null : now + DOUDIAN_REFRESH_TTL_MS,
  };
}
