/**
 * The 抖店 side of the application: ONE API client per process, calling with the shop's access token kept by the
 * token lifecycle (src/tokens, refresh flow ./token.ts). Built once by the composition root and handed to the
 * dialogue (order checks) and the push processor (carrier names).
 */
import type { BaseServices } from '../../services.js';
import { TokenKeeper } from '../../tokens/keeper.js';
import { tokenNotifier } from '../../tokens/notices.js';
import { createDoudianCall, type FetchFn } from './call.js';
import { createDoudianClient, type DoudianClient } from './client.js';
import type { ChannelReceiver } from '../types.js';
import { createDoudianReceiver } from './receiver.js';
import { refreshDoudianToken } from './token.js';

export { createDoudianReceiver } from './receiver.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600_000;
/**
 * 抖店 hands out a new token only in the access token's last hour (earlier it returns the same pair, see
 * ./token.ts), so the refresh runs in that hour; a token that expires unnoticed is renewed on its first refusal.
 */
export const DOUDIAN_REFRESH_AHEAD_MS = 30 * MINUTE_MS;
/**
 * Each refresh brings a new 14-day refresh token while the access token lasts 7 days, so a working service never
 * sees less than about 7 days left: 5 days left means refreshes have failed for two days.
 */
export const DOUDIAN_ALERT_AHEAD_MS = 5 * DAY_MS;

export interface DoudianChannel {
  /** The push webhook's receiver (handlers/http/webhook.ts runs it). */
  receiver: ChannelReceiver;
  client: DoudianClient;
  /** Null when no DOUDIAN_ACCESS_TOKEN is configured (calls go without a token, as the platform then refuses). */
  tokens: TokenKeeper | null;
}

/** Throws when 抖店 is off (config.doudian null): callers check the config first. */
export function createDoudianChannel(base: BaseServices, opts: { fetch?: FetchFn } = {}): DoudianChannel {
  const config = base.config.doudian;
  if (!config) throw new Error('抖店 is not configured (DOUDIAN_* variables unset)');
  const clock = base.clock;
  const signed = createDoudianCall(config, { fetch: opts.fetch, clock });
  const tokens = config.accessToken
    ? new TokenKeeper({
        key: `doudian:${config.appKey}:${config.shopId}`,
        first: { accessToken: config.accessToken, refreshToken: config.refreshToken ?? null },
        refreshAheadMs: DOUDIAN_REFRESH_AHEAD_MS,
        alertAheadMs: DOUDIAN_ALERT_AHEAD_MS,
        refresh: (refreshToken) => refreshDoudianToken(signed, refreshToken, clock.now()),
        notify: tokenNotifier(base),
        store: base.store,
        redis: base.redis,
        clock,
        log: base.log.child({ channel: 'doudian' }),
        keyPrefix: base.config.queuePrefix,
      })
    : null;
  return { receiver: createDoudianReceiver(config), client: createDoudianClient(config, { fetch: opts.fetch, clock, ...(tokens ? { tokens } : {}) }), tokens };
}
