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
 * What the drain asks of the people side. The composition root builds it from the handoff module, so the
 * pipeline imports no handoff code. Both are idempotent per inbox row: the drain may call them again for a row
 * after a crash.
 */
export interface PeopleHooks {
  /**
   * The customer wrote while the conversation is with people: their words start the agent's next-response
   * clock; with `notice`, a shopper whose case nobody has taken yet hears (now and then) their queue place.
   */
  customerWhileHuman(conv: Conversation, row: InboxRow, opts: { notice: boolean }): Promise<void>;
  /** The bot threw on this row; the conversation is already with people. Files it for them and alerts once. */
  botFailed(conv: Conversation, row: InboxRow, code: string): Promise<void>;
}

/**
 * Called once per customer message (and per enter-session event) in platform-time order, never concurrently
 * for one conversation. It may run again for the same message after a crash, so side effects must be
 * idempotent (key them by `row.id`).
 */
export type BotHandler = (input: BotInput) => Promise<BotOutput>;
