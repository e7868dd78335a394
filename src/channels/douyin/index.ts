/**
 * The Douyin 私信 channel: receiver (webhook verify + parse), sender (24 h msg_id window), hydrator (image evidence), the API client and the
 * lifecycle of the user access token it calls with (src/tokens).
 */
import type { BaseServices } from '../../services.js';
import { TokenKeeper } from '../../tokens/keeper.js';
import { tokenNotifier } from '../../tokens/notices.js';
import type { ChannelHydrator, ChannelReceiver, ChannelSender } from '../types.js';
import { createDouyinClient, type DouyinClient } from './client.js';
import { createDouyinHydrator } from './hydrator.js';
import { refreshDouyinToken } from './oauth.js';
import { createDouyinReceiver } from './receiver.js';
import { createDouyinSender } from './sender.js';

export { createDouyinReceiver } from './receiver.js';

const DAY_MS = 24 * 3600_000;
/** Douyin lets a token be refreshed at any time (the expiry just moves): a day ahead leaves room for outages. */
export const DOUYIN_REFRESH_AHEAD_MS = DAY_MS;
/** The refresh token (30 days) cannot be renewed by us: the managers hear about it this early. */
export const DOUYIN_ALERT_AHEAD_MS = 5 * DAY_MS;

export interface DouyinChannel {
  /** The webhook's receiver (handlers/http/webhook.ts runs it). */
  receiver: ChannelReceiver;
  sender: ChannelSender;
  hydrator: ChannelHydrator;
  client: DouyinClient;
  tokens: TokenKeeper;
}

/** Throws when the channel is off (config.douyin null): callers check the config first. */
export function createDouyinChannel(base: BaseServices, opts: { fetch?: typeof fetch } = {}): DouyinChannel {
  const config = base.config.douyin;
  if (!config) throw new Error('Douyin channel is not configured (DOUYIN_* variables unset)');
  const log = base.log.child({ channel: 'douyin' });
  const tokens = new TokenKeeper({
    key: `douyin:${config.clientKey}:${config.businessOpenId}`,
    first: { accessToken: config.accessToken, refreshToken: config.refreshToken ?? null },
    refreshAheadMs: DOUYIN_REFRESH_AHEAD_MS,
    alertAheadMs: DOUYIN_ALERT_AHEAD_MS,
    refresh: (refreshToken) => refreshDouyinToken(config, refreshToken, { now: base.clock.now(), fetch: opts.fetch }),
    notify: tokenNotifier(base),
    store: base.store,
    redis: base.redis,
    clock: base.clock,
    log,
    keyPrefix: base.config.queuePrefix,
  });
  const client = createDouyinClient(config, { fetch: opts.fetch, tokens });
  return {
    receiver: createDouyinReceiver(config),
    client,
    tokens,
    sender: createDouyinSender({ config, client, clock: base.clock, log, metrics: base.metrics }),
    hydrator: createDouyinHydrator({ client, store: base.store, log, metrics: base.metrics, data: base.data }),
  };
}
