/**
 * What a channel adapter gives the pipeline. Receivers (webhook verify + parse) live in handlers/http and
 * src/channels/<name>/receiver.ts; they turn platform bytes into InboundMessage[] and call `Ingest`.
 * Senders deliver one outbox row. Platform shapes never leave the channel's folder.
 */
import type { Author, Channel, InboundMessage } from '../core/types.js';
import type { Conversation, InboxRow, OutboxRow } from '../store/types.js';

export type SendOutcome =
  | { status: 'sent'; platformMsgId?: string | null }
  /** The platform would refuse now (window closed, cap reached, a person owns it): keep it, flag for a person. */
  | { status: 'held'; reason: string }
  /** Permanently refused or retries exhausted. */
  | { status: 'failed'; reason: string }
  /** Worth another try later (network, busy); the job retries with backoff. */
  | { status: 'retry'; reason: string };

export interface WindowOptions {
  proactive?: boolean;
  author?: Author;
}

export type WindowCheck = { ok: true } | { ok: false; reason: string };

export interface ChannelSender {
  readonly channel: Channel;
  /**
   * Would the platform accept a message to this conversation now? Checked before every send so the bot
   * never attempts what the platform forbids (WeCom 48 h / 5 messages, Douyin 24 h per msg_id).
   * `proactive` is true for sends not answering a fresh customer message (surveys, follow-ups). `author` says
   * who writes: while a person owns the conversation only the bot must stay quiet, agents still answer.
   */
  checkWindow(conversation: Conversation, now: number, opts?: WindowOptions): WindowCheck;
  /** Delivers one reply. Must use `row.key` as the platform idempotency key where the platform accepts one. */
  send(row: OutboxRow, conversation: Conversation): Promise<SendOutcome>;
}

/**
 * Optional per-channel work done by the worker before the bot sees a message, e.g. downloading
 * Douyin image evidence that the webhook could not fetch within its 5 s budget.
 */
export interface ChannelHydrator {
  readonly channel: Channel;
  hydrate(row: InboxRow, conversation: Conversation): Promise<InboundMessage>;
}

export interface IngestResult {
  platformMsgId: string;
  conversationId: string;
  inserted: boolean;
}

/** Persist each message to the inbox (before the webhook answers) and trigger its conversation. */
export type Ingest = (messages: InboundMessage[]) => Promise<IngestResult[]>;
