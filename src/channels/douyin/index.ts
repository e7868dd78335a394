/** The Douyin 私信 channel: sender (24 h msg_id window), hydrator (image evidence) and the API client. */
import type { BaseServices } from '../../services.js';
import type { ChannelHydrator, ChannelSender } from '../types.js';
import { createDouyinClient, type DouyinClient } from './client.js';
import { createDouyinHydrator } from './hydrator.js';
import { createDouyinSender } from './sender.js';

export interface DouyinChannel {
  sender: ChannelSender;
  hydrator: ChannelHydrator;
  client: DouyinClient;
}

/** Throws when the channel is off (config.douyin null): callers check the config first. */
export function createDouyinChannel(base: BaseServices, opts: { fetch?: typeof fetch } = {}): DouyinChannel {
  const config = base.config.douyin;
  if (!config) throw new Error('Douyin channel is not configured (DOUYIN_* variables unset)');
  const client = createDouyinClient(config, { fetch: opts.fetch });
  const log = base.log.child({ channel: 'douyin' });
  return {
    client,
    sender: createDouyinSender({ config, client, clock: base.clock, log, metrics: base.metrics }),
    hydrator: createDouyinHydrator({ client, store: base.store, log, metrics: base.metrics }),
  };
}
