/**
 * The acknowledgement bot: answers every customer message with a short text from templates/ that names
 * the kind of message it recognised. The intake dialogue replaces it as the default bot handler.
 */
import type { MessageKind } from '../core/types.js';
import type { BotHandler } from '../pipeline/bot.js';
import { renderTemplate, type TemplateBook } from '../../templates/render.js';

const KIND_KEYS: Partial<Record<MessageKind, string>> = {
  text: 'ack.text',
  choice: 'ack.text',
  image: 'ack.image',
  video: 'ack.video',
  voice: 'ack.voice',
  file: 'ack.file',
  order: 'ack.order',
  product: 'ack.product',
  location: 'ack.location',
  link: 'ack.link',
};

export function createAckBot(book: TemplateBook): BotHandler {
  return async ({ message, conversation, services }) => {
    const previous = typeof conversation.state.lastReply === 'string' ? conversation.state.lastReply : null;
    const seed = conversation.version;
    const vars = { shopName: services.config.shopName, orderId: message.orderId ?? null };
    const key = message.event?.type === 'enter_session' ? 'welcome' : (KIND_KEYS[message.kind] ?? 'ack.other');
    const text = renderTemplate(book, key, vars, { previous, seed });
    return { replies: [{ text }], state: { ...conversation.state, lastReply: text } };
  };
}
