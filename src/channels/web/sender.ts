/**
 * The web channel (simulator): there is no platform to call; a reply is "sent" once it is stored as sent,
 * and the page picks it up by polling. No window applies.
 */
import type { ChannelSender } from '../types.js';

export function createWebSender(): ChannelSender {
  return {
    channel: 'web',
    checkWindow: () => ({ ok: true }),
    send: async () => ({ status: 'sent' }),
  };
}
