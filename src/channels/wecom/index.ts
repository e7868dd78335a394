/** WeCom 微信客服 channel: the pieces the composition root wires (receiver, sender, client) and the native handoff. */
import type { BaseServices } from '../../services.js';
import type { ChannelReceiver, ChannelSender } from '../types.js';
import { createWecomReceiver } from './callback-receiver.js';
import type { WecomClient } from './client.js';
import { createWecomClient } from './create-client.js';
import { createWecomSender } from './sender.js';

export { WecomClient } from './client.js';
export { createWecomClient } from './create-client.js';
export { createWecomReceiver } from './callback-receiver.js';
export { transferToHuman, type TransferResult } from './session-transfer.js';

export function createWecomChannel(base: BaseServices): { receiver: ChannelReceiver; sender: ChannelSender; client: WecomClient } {
  const wecom = base.config.wecom;
  if (!wecom) throw new Error('WeCom is not configured (WECOM_CORP_ID, WECOM_KF_SECRET, WECOM_TOKEN, WECOM_ENCODING_AES_KEY)');
  const client = createWecomClient(base, wecom);
  const sender = createWecomSender({
    client,
    redis: base.redis,
    store: base.store,
    clock: base.clock,
    log: base.log.child({ channel: 'wecom' }),
    keyPrefix: base.config.queuePrefix,
  });
  return { receiver: createWecomReceiver(wecom), sender, client };
}
