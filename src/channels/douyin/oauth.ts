/**
 * Douyin's refresh flow for user access tokens (developer.open-douyin.com/docs/resource/zh-CN/dop/develop/openapi/
 * account-permission/refresh-access-token): POST /oauth/refresh_token/ as a form with client_key,
 * grant_type=refresh_token and refresh_token. Answer `{data:{error_code, access_token, expires_in,
 * refresh_token, refresh_expires_in, open_id, scope}, message}`; the lifetimes are seconds, sent as numbers or
 * (in the official example) strings. A fresh access token lasts 15 days; the refresh token keeps its 30-day
 * expiry, and 10010 means it has expired (the user must authorise again).
 */
import type { DouyinConfig } from '../../../config/load-config.js';
import { PlatformError } from '../../core/errors.js';
import type { Grant } from '../../tokens/keeper.js';
import { platformErrorFor, readPlatformError } from './client.js';
import { platformFetch } from '../platform-fetch.js';

const PLATFORM = 'douyin';
export const REFRESH_EXPIRED = 10010;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function seconds(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

export async function refreshDouyinToken(
  config: Pick<DouyinConfig, 'apiBase' | 'clientKey'>,
  refreshToken: string,
  opts: { now: number; fetch?: typeof fetch; timeoutMs?: number },
): Promise<Grant> {
  const form = new URLSearchParams({ client_key: config.clientKey, grant_type: 'refresh_token', refresh_token: refreshToken });
  const res = await platformFetch(
    PLATFORM,
    `${config.apiBase}/oauth/refresh_token/`,
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
    { timeoutMs: opts.timeoutMs ?? 5000, ...(opts.fetch ? { fetch: opts.fetch } : {}) },
  );
  let body: unknown;
  try {
    body = JSON.parse(await res.text());
  } catch {
    throw new PlatformError({ platform: PLATFORM, code: `http_${res.status}`, message: 'refresh answer is not JSON' });
  }
  const { code, message } = readPlatformError(body);
  if (code !== 0) throw platformErrorFor(code, message || (code === REFRESH_EXPIRED ? 'refresh_token expired' : 'refresh refused'));
  const data = isRecord(body) && isRecord(body.data) ? body.data : {};
  const accessToken = typeof data.access_token === 'string' ? data.access_token : '';
  const expiresIn = seconds(data.expires_in);
  if (!accessToken || expiresIn === null) {
    throw new PlatformError({ platform: PLATFORM, code: 'bad_refresh', message: 'refresh answer without access_token or expires_in' });
  }
  const refreshIn = seconds(data.refresh_expires_in);
  return {
    accessToken,
    accessExpiresAt: opts.now + expiresIn * 1000,
    refreshToken: typeof data.refresh_token === 'string' && data.refresh_token ? data.refresh_token : refreshToken,
    refreshExpiresAt: refreshIn === null ? null : opts.now + refreshIn * 1000,
  };
}
