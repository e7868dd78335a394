/**
 * Domain types shared by every layer. Pure data: this module imports nothing.
 * Platform shapes (WeCom XML, Douyin JSON) never appear here; channel adapters map them to these.
 */

export type Channel = 'wecom' | 'douyin' | 'web';
export const CHANNELS: readonly Channel[] = ['wecom', 'douyin', 'web'];

/** What a customer (or a person answering from the platform's own app) sent. */
export type MessageKind =
  | 'text'
  | 'image'
  | 'voice'
  | 'video'
  | 'file'
  | 'location'
  | 'link'
  | 'miniprogram'
  | 'product'
  | 'order'
  | 'merged'
  | 'emoji'
  | 'card'
  | 'choice'
  | 'event'
  | 'unknown';

export type Author = 'customer' | 'bot' | 'agent' | 'system';

export type EvidenceKind = 'image' | 'video' | 'file' | 'voice';

export interface Attachment {
  kind: EvidenceKind;
  /** Set once the bytes are stored as evidence. */
  evidenceId?: string;
  mime?: string;
  size?: number;
  sha256?: string;
}

/**
 * Platform events that are not customer words: session opened, a person took over, a reply failed...
 * `type` is channel-neutral; `data` keeps the few fields the pipeline needs.
 */
export type InboundEventType =
  | 'enter_session'
  | 'human_took_over'
  | 'human_released'
  | 'send_failed'
  | 'recalled'
  | 'servicer_status'
  | 'unknown';

export interface InboundEvent {
  type: InboundEventType;
  data: Record<string, string | number | boolean | null>;
}

/** One message as the bot sees it, whatever the channel. */
export interface InboundMessage {
  channel: Channel;
  /** Unique per channel: WeCom msgid, Douyin server_message_id, web client id. */
  platformMsgId: string;
  /** Stable per customer and reception point, e.g. `wkAAA:wmCUST` for WeCom. */
  conversationKey: string;
  /** The channel's user id (external_userid, open_id, web visitor id), as Customer.platformUserId. */
  platformUserId: string;
  /** Platform send time in epoch milliseconds; the drain order. */
  sentAt: number;
  from: Author;
  kind: MessageKind;
  /** Words of the message, or a short neutral description for non-text kinds. */
  text: string;
  /** Order id carried by the message itself (order cards), not parsed from text. */
  orderId?: string;
  /** Id of a choice the customer clicked (WeCom msgmenu), when `kind` is `choice`. */
  choiceId?: string;
  attachments: Attachment[];
  event?: InboundEvent;
  /** Channel routing data needed to answer (open_kfid, conversation_id, msg_id to answer, scene...). */
  meta: Record<string, string | number | boolean | null>;
}

export interface Choice {
  id: string;
  label: string;
}

/** What the bot or an agent wants the customer to see. Channels render it natively. */
export interface OutboundReply {
  text: string;
  /** Rendered as msgmenu on WeCom, as numbered lines elsewhere. */
  choices?: Choice[];
  /** Optional trailing text after the choices (msgmenu tail_content). */
  tail?: string;
  /**
   * The `meta` of the inbound message this answers, copied by the pipeline. Channel senders read their own
   * keys from it (WeCom welcome code, Douyin msg_id and scene); absent for proactive messages.
   */
  replyTo?: Record<string, string | number | boolean | null>;
}

export type CaseCategory = 'quality' | 'logistics' | 'wrong_item' | 'false_ad' | 'service' | 'no_fault_return';
export const CASE_CATEGORIES: readonly CaseCategory[] = [
  'quality',
  'logistics',
  'wrong_item',
  'false_ad',
  'service',
  'no_fault_return',
];

/** `urge_delivery` (催件): the shop chases the courier, and the bot asks after the promised days whether it came. */
export type Resolution = 'refund' | 'return_refund' | 'exchange' | 'repair' | 'reship' | 'compensation' | 'urge_delivery';
export const RESOLUTIONS: readonly Resolution[] = [
  'refund',
  'return_refund',
  'exchange',
  'repair',
  'reship',
  'compensation',
  'urge_delivery',
];

/**
 * A case's life (src/cases/lifecycle.ts decides every change): collecting → open (filed, 待审核) or escalated (等人工)
 * → assigned (a person reviews) → approved / rejected → executing (steps) → resolved → closed; reopen → escalated.
 */
export type CaseStatus = 'collecting' | 'open' | 'escalated' | 'assigned' | 'approved' | 'rejected' | 'executing' | 'resolved' | 'closed';
export const CASE_STATUSES: readonly CaseStatus[] = ['collecting', 'open', 'escalated', 'assigned', 'approved', 'rejected', 'executing', 'resolved', 'closed'];
export type Priority = 1 | 2 | 3;
export type Csat = 1 | 2 | 3 | 4 | 5;

export interface EvidenceRef {
  id: string;
  kind: EvidenceKind;
  mime: string;
  size: number;
  sha256: string;
}

export type SlaType = 'first' | 'next' | 'resolution' | 'decision';

export interface SlaBreach {
  type: SlaType;
  at: string;
  /** When the clock that ran out started (ISO). */
  anchor: string;
  /** Who had the case when it ran out; null when nobody did. */
  agent: string | null;
}

/** A case's service-level deadlines (src/handoff/sla.ts computes them) and every breach recorded. */
export interface SlaState {
  firstResponseDue: string | null;
  nextResponseDue: string | null;
  resolutionDue: string | null;
  /** A filed case: when the approve/reject decision is due. */
  decisionDue: string | null;
  breaches: SlaBreach[];
}

/** The execution steps people (and the bot, for the return tracking number) record, in a case's usual order. */
export type StepKind = 'return_address' | 'return_tracking' | 'goods_received' | 'reship_tracking' | 'refund_issued' | 'compensation_paid';
export const STEP_KINDS: readonly StepKind[] = ['return_address', 'return_tracking', 'goods_received', 'reship_tracking', 'refund_issued', 'compensation_paid'];

/** One entry of a case's execution timeline (src/cases/execution.ts records them). */
export interface CaseStep {
  kind: StepKind;
  /** Idempotency key: the console's client id, or the inbox row the bot read a tracking number from. */
  key: string;
  at: string;
  /** Console user id, `bot`, or `doudian`. */
  by: string;
  trackingNo?: string;
  carrier?: string;
  address?: string;
  amountYuan?: number;
}

/** The case as the README's case API defines it (plus internal fields the API may hide). */
export interface Case {
  id: string;
  channel: Channel;
  /** The platform user id (Customer.platformUserId, not Customer.id); `customerId` is the case API's name. */
  customerId: string;
  conversationId: string;
  category: CaseCategory | null;
  orderId: string | null;
  description: string | null;
  evidence: EvidenceRef[];
  resolution: Resolution | null;
  status: CaseStatus;
  priority: Priority;
  risk: boolean;
  assignee: string | null;
  csat: Csat | null;
  reopenCount: number;
  /** Deadlines and breaches once a person's clock has run for the case; null before. */
  sla: SlaState | null;
  /** The execution timeline, oldest first. */
  steps: CaseStep[];
  /** Free-form data owned by later stages (policy verdict, survey state, escalation stamps...). */
  data: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
}
