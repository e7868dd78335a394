import type { WecomConfig } from '../../../config/load-config.js';
import type { BaseServices } from '../../services.js';
import { WecomClient } from './client.js';

/** Every process builds its own client; they share the access token through Redis. */
export function createWecomClient(s: Pick<BaseServices, 'redis' | 'config'>, wecom: WecomConfig): WecomClient {
  return new WecomClient({
    corpId: wecom.corpId,
    secret: wecom.kfSecret,
    apiBase: wecom.apiBase,
    redis: s.redis,
    keyPrefix: s.config.queuePrefix,
  });
}
