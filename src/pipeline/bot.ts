/**
 * The contract between the pipeline and whatever answers customers (the intake dialogue with its follow-up
 * middleware). One context per inbound message, in the manner of grammY's `Context` and Probot's `context`:
 * the message, its conversation and customer, a logger tagged with the inbox row, and the only two ways to act
 * on the conversation — `reply()` and `handOver()`. Replies leave through the drain after the turn commits, in
 * order; nothing a bot does writes to the outbox directly.
 */
import type { InboundMessage, OutboundReply, Priority } from '../core/types.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import type { Conversation, Customer, InboxRow } from '../store/types.js';

/** Who speaks: the bot, or the shop's system voice (a hand-over notice stays audible once people own it). */
export type ReplyAuthor = 'bot' | 'system';

export interface ReplyLine {
  author: ReplyAuthor;
  reply: OutboundReply;
}

/** Handing the conversation to people: the case to hand over (default: the active one, or a new bare one). */
export interface HandOver {
  /** One line for the agent, in English for logs ('customer asked for a person'); shown to people in Chinese. */
  reason: string;
  caseId?: string | null;
  risk?: boolean;
  priority?: Priority;
  /** `bot` (default) or `customer`. */
  actor?: string;
  description?: string | null;
}

export interface HandedOver {
  caseId: string;
  /** Roughly how long until a person answers, as minutes and as words (「约15分钟内」). */
  handoffMinutes: number;
  handoffWhen: string;
}

export interface BotContext {
  /** The turn read as one message (see `turn`). */
  message: InboundMessage;
  /**
   * The messages of this turn in platform-time order: one, unless the shopper sent several before the bot
   * answered (「我的锅底涂层掉了」 then the order number); `message` is them merged, texts one per line.
   */
  turn: InboundMessage[];
  /** The turn's first inbox row: side effects are keyed by its id, which a re-run of the turn keeps. */
  row: InboxRow;
  conversation: Conversation;
  customer: Customer | null;
  services: Services;
  /** Tagged with the inbox row, the conversation and the channel. */
  log: Logger;
  /** Queues a reply to this message; `system` for words that must reach the shopper once people own the chat. */
  reply(reply: string | OutboundReply, opts?: { author?: ReplyAuthor }): void;
  /** Hands the conversation to people (idempotent per message); the bot is quiet from the next message on. */
  handOver(input: HandOver): Promise<HandedOver>;
}

export interface BotOutput {
  /** New dialogue state; omitted = unchanged. */
  state?: Record<string, unknown>;
}

/**
 * Called once per customer turn (and per enter-session event) in platform-time order, never concurrently
 * for one conversation. It may run again for the same message after a crash or a lost compare-and-set, so
 * side effects must be idempotent (key them by `row.id`).
 */
export type BotHandler = (ctx: BotContext) => Promise<BotOutput | void>;

/**
 * What the drain asks of the people side. The composition root builds it from the handoff module, so the
 * pipeline imports no handoff code. Each is idempotent per inbox row: the drain may call it again after a crash.
 */
export interface PeopleHooks {
  /**
   * The customer wrote while the conversation is with people: their words start the agent's next-response
   * clock; with `notice`, a shopper whose case nobody has taken yet hears (now and then) their queue place.
   */
  customerWhileHuman(conv: Conversation, row: InboxRow, opts: { notice: boolean }): Promise<void>;
  /** The bot asked for people: escalate (keyed by the row). The drain switches the mode in its own update. */
  handOver(conv: Conversation, row: InboxRow, input: HandOver): Promise<HandedOver>;
  /** The bot threw on this row; the conversation is already with people. Files it for them and alerts once. */
  botFailed(conv: Conversation, row: InboxRow, code: string): Promise<void>;
}

/** The context for one message, and what the bot did with it once it returns. */
export function createBotContext(
  base: Omit<BotContext, 'reply' | 'handOver'>,
  people: PeopleHooks,
): { ctx: BotContext; lines: ReplyLine[]; handedOver: () => boolean } {
  const lines: ReplyLine[] = [];
  let handed = false;
  const ctx: BotContext = {
    ...base,
    reply(reply, opts) {
      lines.push({ author: opts?.author ?? 'bot', reply: typeof reply === 'string' ? { text: reply } : reply });
    },
    async handOver(input) {
      const done = await people.handOver(base.conversation, base.row, input);
      handed = true;
      return done;
    },
  };
  return { ctx, lines, handedOver: () => handed };
}
