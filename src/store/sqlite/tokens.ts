/** The platform_tokens table (migration 5): one row per credential, written compare-and-set on `version`. */
import { nowIso } from '../builders.js';
import type { PlatformToken, PlatformTokenWrite } from '../types.js';
import type { Sql } from './sql.js';

interface TokenRow {
  key: string;
  access_token: string;
  access_expires_at: string | null;
  refresh_token: string | null;
  refresh_expires_at: string | null;
  seed: string;
  version: number;
  updated_at: string;
}

const toToken = (r: TokenRow): PlatformToken => ({
  key: r.key,
  accessToken: r.access_token,
  accessExpiresAt: r.access_expires_at,
  refreshToken: r.refresh_token,
  refreshExpiresAt: r.refresh_expires_at,
  seed: r.seed,
  version: r.version,
  updatedAt: r.updated_at,
});

export function getToken(q: Sql, key: string): PlatformToken | null {
  return q.get(toToken, 'SELECT * FROM platform_tokens WHERE key = ?', key);
}

export function saveToken(q: Sql, input: PlatformTokenWrite, expectedVersion: number): PlatformToken | null {
  const cols = {
    access_token: input.accessToken,
    access_expires_at: input.accessExpiresAt,
    refresh_token: input.refreshToken,
    refresh_expires_at: input.refreshExpiresAt,
    seed: input.seed,
    updated_at: nowIso(),
  };
  if (expectedVersion === 0) {
    const inserted = q.insert('platform_tokens', { key: input.key, ...cols, version: 1 }, true);
    return inserted ? getToken(q, input.key) : null;
  }
  return q.update(toToken, 'platform_tokens', ['key', input.key], cols, expectedVersion);
}
