/** The contract between the pipeline and whatever answers customers (the acknowledgement bot, the dialogue). */
import type { InboundMessage, OutboundReply } from '../core/types.js';
import type { Services } from '../services.js';
import type { Conversation, ConversationMode, Customer, InboxRow } from '../store/types.js';

export interface BotInput {
  message: InboundMessage;
  row: InboxRow;
  conversation: Conversation;
  customer: Customer | null;
  services: Services;
}

export interface BotOutput {
  replies: OutboundReply[];
  /** New dialogue state; omitted = unchanged. */
  state?: Record<string, unknown>;
  /** `human` hands the conversation to people; the bot then stays silent. */
  mode?: ConversationMode;
}

/**
 * Called once per customer message (and per enter-session event) in platform-time order, never concurrently
 * for one conversation. It may run again for the same message after a crash, so side effects must be
 * idempotent (key them by `row.id`).
 */
export type BotHandler = (input: BotInput) => Promise<BotOutput>;
