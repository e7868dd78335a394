/**
 * What a channel adapter gives the pipeline. Every channel exports `{ receiver, sender, hydrator?, client }` from
 * src/channels/<name>/index.ts: the receiver verifies and parses a webhook delivery (pure, no I/O), and ONE generic
 * handler (handlers/http/webhook.ts) does read → verify → parse → claim once → ingest or enqueue → ack for all.
 * Senders deliver one outbox row. Platform shapes never leave the channel's folder.
 */
import type { Author, Channel, InboundMessage } from '../core/types.js';
import type { JobMap, JobName } from '../queues/jobs.js';
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
/** A message made ready for the bot, and what the shopper hears about it before the bot's answer. */
export interface Hydrated {
  message: InboundMessage;
  /**
   * System lines answering this message (e.g. "this picture could not be kept, send it again like this"). The
   * drain says them first, in the turn's one compare-and-set, so they leave in order and only after the
   * conversation has recorded the message (a platform window opened by it is open for them too).
   */
  notices: string[];
}

export interface ChannelHydrator {
  readonly channel: Channel;
  hydrate(row: InboxRow, conversation: Conversation): Promise<Hydrated>;
}

export interface IngestResult {
  platformMsgId: string;
  conversationId: string;
  inserted: boolean;
}

/** Persist each message to the inbox (before the webhook answers) and trigger its conversation. */
export type Ingest = (messages: InboundMessage[]) => Promise<IngestResult[]>;

/** One webhook delivery as the HTTP edge read it: the exact bytes (signatures cover them), headers and query. */
export interface WebhookDelivery {
  raw: Buffer;
  /** Header values by lower-case name, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | string[] | undefined>;
  now: number;
}

/** A job a delivery asks for, with its deterministic id (a retried delivery adds nothing new). */
export type WebhookJob = { [K in JobName]: { name: K; data: JobMap[K]; jobId: string } }[JobName];

/** What a verified delivery holds. */
export type WebhookEvent =
  /** The platform's URL check: answered with exactly this body, nothing stored. */
  | { kind: 'challenge'; contentType: string; body: string }
  /** A shopper message: an inbox row before the ack, once per `claimId`. */
  | { kind: 'message'; claimId: string; message: InboundMessage }
  /** Work to enqueue before the ack (a pull of messages waiting on the platform, a platform event), once per `claimId`. */
  | { kind: 'job'; claimId: string; job: WebhookJob }
  /** A platform notice with no job of its own, handed to the route's hook (WeCom group changes feed the radar). */
  | { kind: 'notice'; fields: Record<string, string> }
  /** Acknowledged and otherwise left alone (an echo of our own send, a ping); `note` and `detail` (masked) are logged. */
  | { kind: 'ignore'; note: string; level?: 'debug' | 'info' | 'warn'; detail?: Record<string, unknown> };

/** The answer a platform expects once every event of a delivery is stored (each platform wants its own). */
export interface WebhookAck {
  status: number;
  contentType?: string;
  body: string;
}

export interface ChannelReceiver {
  /** Names the claim keys and the log lines. */
  readonly name: 'wecom' | 'douyin' | 'doudian';
  /** How long a finished delivery id is remembered (default: longer than any platform's retries, see queues/claim.ts). */
  readonly claimSeconds?: number;
  /** Throws an AppError (401 for a delivery that is not the platform's, 400 for a broken one) and changes nothing. */
  verify(delivery: WebhookDelivery): void;
  /** The delivery's events, every one validated before any is returned, so a bad batch changes nothing. */
  parse(delivery: WebhookDelivery): WebhookEvent[];
  readonly ack: WebhookAck;
}

/** One header value, or null when absent or empty. */
export function headerOf(delivery: Pick<WebhookDelivery, 'headers'>, name: string): string | null {
  const v = delivery.headers[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one ? one : null;
}
