/**
 * The one persistence interface. Two adapters implement it (sqlite/, mongo/) and one conformance suite
 * (test/store/conformance.ts) runs against both. Rules every adapter keeps:
 * - uniqueness is enforced by the database (unique indexes), never by a read-then-write;
 * - versioned updates are a single atomic compare-and-set on one row/document (no multi-document transactions);
 * - timestamps are ISO 8601 strings in UTC; platform times are epoch milliseconds.
 */
import type {
  Author,
  Case,
  CaseCategory,
  CaseStatus,
  Channel,
  EvidenceKind,
  InboundMessage,
  OutboundReply,
} from '../core/types.js';

export interface Customer {
  id: string;
  channel: Channel;
  /** The channel's user id (external_userid, open_id, web visitor id). */
  platformUserId: string;
  nickname: string | null;
  memberLevel: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `bot`: the bot answers. `human`: a person owns the conversation and the bot stays silent. */
export type ConversationMode = 'bot' | 'human';

export interface Conversation {
  id: string;
  channel: Channel;
  /** Channel-specific stable key (see InboundMessage.conversationKey); unique per channel. */
  key: string;
  customerId: string;
  mode: ConversationMode;
  /** Dialogue state owned by the dialogue layer; opaque here. */
  state: Record<string, unknown>;
  /** Routing data for replies (open_kfid, conversation_id, last msg_id to answer...). */
  meta: Record<string, unknown>;
  /** Platform time (ms) of the newest customer message applied; older arrivals are stale. */
  lastCustomerAt: number | null;
  /** Replies sent since the customer last wrote (WeCom allows 5). */
  repliesSinceCustomer: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type ConversationPatch = Partial<
  Pick<Conversation, 'mode' | 'state' | 'meta' | 'lastCustomerAt' | 'repliesSinceCustomer'>
>;

export type InboxStatus = 'pending' | 'processed' | 'stale' | 'failed' | 'recalled';

export interface InboxRow {
  id: string;
  channel: Channel;
  platformMsgId: string;
  conversationId: string;
  sentAt: number;
  from: Author;
  status: InboxStatus;
  message: InboundMessage;
  receivedAt: string;
  processedAt: string | null;
  /** Why the row is `failed` (an error code such as `bot_error:TypeError`); null otherwise. */
  error: string | null;
}

/** `held`: waiting for the platform window to reopen, or for a person. */
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'held';

export interface OutboxRow {
  id: string;
  /** Idempotency key, unique; also sent to the platform where it accepts one (WeCom msgid). */
  key: string;
  conversationId: string;
  channel: Channel;
  author: Author;
  /** Console user who wrote it, for agent replies. */
  authorId: string | null;
  caseId: string | null;
  reply: OutboundReply;
  status: OutboxStatus;
  attempts: number;
  error: string | null;
  platformMsgId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface NewOutbox {
  key: string;
  conversationId: string;
  channel: Channel;
  author: Author;
  authorId?: string | null;
  caseId?: string | null;
  reply: OutboundReply;
  status?: OutboxStatus;
}

export interface OutboxUpdate {
  status: OutboxStatus;
  attempts?: number;
  error?: string | null;
  platformMsgId?: string | null;
  sentAt?: string | null;
}

export interface NewCase {
  channel: Channel;
  customerId: string;
  conversationId: string;
  category?: CaseCategory | null;
  orderId?: string | null;
  description?: string | null;
  status?: CaseStatus;
  priority?: Case['priority'];
  risk?: boolean;
  data?: Record<string, unknown>;
}

export type CasePatch = Partial<
  Pick<
    Case,
    | 'category'
    | 'orderId'
    | 'description'
    | 'evidence'
    | 'resolution'
    | 'status'
    | 'priority'
    | 'risk'
    | 'assignee'
    | 'csat'
    | 'reopenCount'
    | 'sla'
    | 'steps'
    | 'data'
  >
>;

export interface CaseFilter {
  status?: CaseStatus | CaseStatus[];
  channel?: Channel;
  customerId?: string;
  conversationId?: string;
  category?: CaseCategory;
  assignee?: string;
  orderId?: string;
  priority?: Case['priority'];
  /** Cases whose id starts with these lower-case hex digits (the 8-digit case reference is an id prefix). */
  idPrefix?: string;
  /** Newest first. Default 50, max 200. */
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Evidence {
  id: string;
  conversationId: string;
  caseId: string | null;
  channel: Channel;
  kind: EvidenceKind;
  mime: string;
  size: number;
  sha256: string;
  /** Where it came from (WeCom media_id, Douyin message id, upload name); never a secret. */
  source: string | null;
  createdAt: string;
}

export type NewEvidence = Omit<Evidence, 'id' | 'createdAt' | 'caseId'> & { caseId?: string | null };

export type Role = 'agent' | 'supervisor' | 'admin' | 'manager';

export interface ConsoleUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  /** Channels and categories this person handles; empty = all. */
  skills: string[];
  capacity: number;
  online: boolean;
  /** WeCom userid for app-message notifications. */
  wecomUserId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewConsoleUser = Pick<ConsoleUser, 'username' | 'displayName' | 'role' | 'passwordHash'> &
  Partial<Pick<ConsoleUser, 'skills' | 'capacity' | 'online' | 'wecomUserId'>>;

export type ConsoleUserPatch = Partial<
  Pick<ConsoleUser, 'displayName' | 'role' | 'passwordHash' | 'skills' | 'capacity' | 'online' | 'wecomUserId'>
>;

/**
 * Every type of case event the app writes: writers are typed by this list, and the console has a Chinese label
 * for each (test/console/work.test.ts fails on a missing one). Read back as `string`, since stored rows may be older.
 */
export const CASE_EVENT_TYPES = [
  'created',
  'escalated',
  'assigned',
  'unassigned',
  'reply',
  'note',
  'edited',
  'resolved',
  'handed_back',
  'reopened',
  'closed',
  'sla_breached',
  'task_done',
  'survey_sent',
  'followup_sent',
  'followup_task',
  'followup_answered',
  'csat',
  'showcase',
  'showcase_declined',
  'doudian_after_sale',
  'care_sent',
  'parcel_arrived',
  'parcel_not_arrived',
  'approved',
  'rejected',
  'step',
  'customer_correction',
  'doudian_decision_kept',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

export interface CaseEvent {
  id: string;
  caseId: string;
  at: string;
  /** One of CASE_EVENT_TYPES when written. */
  type: string;
  /** `bot`, `system`, `customer` or a console user id. */
  actor: string;
  data: Record<string, unknown>;
}

export type NewCaseEvent = Omit<CaseEvent, 'id' | 'at' | 'type'> & { type: CaseEventType; at?: string };

export type AlertLevel = 'info' | 'warning' | 'critical';

/**
 * Something a supervisor or community manager should see at once: a risky message, a level-1 case, a low
 * survey score, an SLA breach, a complaint spike, a group complaint. Always listed in the console feed;
 * also pushed to WeCom when configured (`deliveredAt` records that). Text is masked before it is stored.
 */
export interface Alert {
  id: string;
  /** Idempotency key: one alert per cause, e.g. `risk:<inboxId>` or `sla:<caseId>:first:1`. */
  key: string;
  kind: string;
  level: AlertLevel;
  title: string;
  /** Masked; safe to show anywhere and to send to WeCom. */
  text: string;
  caseId: string | null;
  data: Record<string, unknown>;
  deliveredAt: string | null;
  createdAt: string;
}

export type NewAlert = Pick<Alert, 'key' | 'kind' | 'level' | 'title' | 'text'> &
  Partial<Pick<Alert, 'caseId' | 'data'>>;

/**
 * A platform credential that expires (Douyin user token, 抖店 shop token), kept in the store so every process
 * and every restart sees the newest one. Times are ISO strings; null when the platform did not say.
 */
export interface PlatformToken {
  /** e.g. `douyin:<client_key>:<open_id>`, `doudian:<app_key>:<shop_id>`. */
  key: string;
  accessToken: string;
  accessExpiresAt: string | null;
  refreshToken: string | null;
  refreshExpiresAt: string | null;
  /** Fingerprint of the configured first token this row grew from: a changed configuration starts over. */
  seed: string;
  /** Compare-and-set counter: 1 after the first write. */
  version: number;
  updatedAt: string;
}

export type PlatformTokenWrite = Omit<PlatformToken, 'version' | 'updatedAt'>;

export type TaskStatus = 'open' | 'done';

/**
 * Work for a person that a machine could not do: a survey or follow-up whose platform window had closed,
 * a customer to call back. Listed in the console until someone marks it done.
 */
/** Every kind of task the app creates; the console labels each (checked like CASE_EVENT_TYPES). */
export const TASK_KINDS = ['survey', 'followup', 'logistics_care', 'case_step'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface Task {
  id: string;
  /** Idempotency key, unique: the job that gave up (e.g. `followup:<caseId>:1`). */
  key: string;
  /** One of TASK_KINDS when written. */
  kind: string;
  caseId: string | null;
  conversationId: string | null;
  /** Why a person must do it, in plain words. */
  reason: string;
  status: TaskStatus;
  assignee: string | null;
  data: Record<string, unknown>;
  doneBy: string | null;
  doneAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewTask = Pick<Task, 'key' | 'reason'> & { kind: TaskKind } &
  Partial<Pick<Task, 'caseId' | 'conversationId' | 'assignee' | 'data'>>;

export type TaskPatch = Partial<Pick<Task, 'status' | 'assignee' | 'doneBy' | 'doneAt' | 'data'>>;

/** A dimension the dashboard groups cases by. `week` counts whole 7-day steps from `from` (0 = the first week). */
export type StatsDimension = 'day' | 'week' | 'category' | 'channel' | 'product' | 'carrier';

/** Cases created in [from, to), optionally narrowed; the period filter of the dashboard and its exports. */
export interface StatsFilter {
  /** ISO 8601, inclusive. */
  from: string;
  /** ISO 8601, exclusive. */
  to: string;
  channel?: Channel;
  category?: CaseCategory;
  /** data.order.productName */
  product?: string;
  /** data.carrier */
  carrier?: string;
}

export interface StatsQuery extends StatsFilter {
  /** Empty or missing: one bucket for the whole filter. */
  groupBy?: StatsDimension[];
  /** Minutes east of UTC for `day` buckets; default 480 (China). */
  tzOffsetMinutes?: number;
  /** Count cases only (every other number is 0): cheaper, for trends and spike detection. */
  countOnly?: boolean;
}

/**
 * Additive counts and sums for one group of cases, so buckets can be rolled up exactly; rates and averages are
 * shaped from them by src/analytics. Durations are whole milliseconds.
 */
export interface StatsBucket {
  key: {
    day?: string;
    week?: number;
    category?: CaseCategory | null;
    channel?: Channel;
    product?: string | null;
    carrier?: string | null;
  };
  cases: number;
  /** Status resolved or closed. */
  resolved: number;
  /** Resolved or closed and never escalated to a person (no data.firstEscalatedAt). */
  botResolved: number;
  /** Ever entered the human queue (data.firstEscalatedAt). */
  escalated: number;
  /** Resolved now or reopened at least once: the base of the reopen rate. */
  everResolved: number;
  reopened: number;
  /** data.firstResponseAt − (data.firstEscalatedAt, else createdAt). */
  firstResponseCount: number;
  firstResponseMsSum: number;
  /** (data.resolvedAt, else data.closedAt) − createdAt, for resolved or closed cases. */
  resolutionCount: number;
  resolutionMsSum: number;
  /** Cases with an SLA (Case.sla) that are settled: resolved/closed, or already breached. */
  slaSettled: number;
  /** Resolved/closed with an SLA and no breach recorded. */
  slaMet: number;
  csatCount: number;
  csatSum: number;
  /** Counts of scores 1..5. */
  csat: [number, number, number, number, number];
}

/** What an improvement item (改进单) blames: the cause a manager picked. */
export const IMPROVEMENT_CAUSES = ['product', 'supplier', 'warehouse', 'carrier', 'live_script', 'service'] as const;
export type ImprovementCause = (typeof IMPROVEMENT_CAUSES)[number];
/** The dashboard key an item tracks; its linked cases and its effect are read by this key. */
export type ImprovementDimension = Extract<StatsDimension, 'category' | 'product' | 'carrier'>;
export type ImprovementStatus = 'open' | 'done' | 'closed';
/** Where the manager opened it from. */
export type ImprovementSource = 'spike' | 'dashboard' | 'case';

/** 改进单 (issue #19): a cause, an owner, a promised action and a due date, tracked until a manager closes it. */
export interface ImprovementItem {
  id: string;
  dimension: ImprovementDimension;
  key: string;
  cause: ImprovementCause;
  /** Console user id. */
  ownerId: string;
  action: string;
  /** Shop-local day, YYYY-MM-DD: overdue after it ends. */
  dueDate: string;
  source: ImprovementSource;
  sourceCaseId: string | null;
  status: ImprovementStatus;
  createdBy: string;
  doneAt: string | null;
  doneBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  reopenCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type NewImprovement = Pick<ImprovementItem, 'dimension' | 'key' | 'cause' | 'ownerId' | 'action' | 'dueDate' | 'source' | 'createdBy'> &
  Partial<Pick<ImprovementItem, 'sourceCaseId'>>;

export type ImprovementPatch = Partial<
  Pick<ImprovementItem, 'ownerId' | 'action' | 'dueDate' | 'status' | 'doneAt' | 'doneBy' | 'closedAt' | 'closedBy' | 'reopenCount'>
>;

export interface ImprovementFilter {
  ownerId?: string;
  status?: ImprovementStatus;
  dimension?: ImprovementDimension;
  key?: string;
  /** Newest first. Default 50, max 200. */
  limit?: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  /** Connects and applies migrations / indexes. Idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;

  upsertCustomer(input: {
    channel: Channel;
    platformUserId: string;
    nickname?: string | null;
  }): Promise<Customer>;
  getCustomer(id: string): Promise<Customer | null>;
  updateCustomer(id: string, patch: Partial<Pick<Customer, 'nickname' | 'memberLevel'>>): Promise<Customer | null>;

  /** Returns the conversation for (channel, key), creating it in mode `bot` if missing. Race-safe. */
  getOrCreateConversation(input: {
    channel: Channel;
    key: string;
    customerId: string;
    meta?: Record<string, unknown>;
  }): Promise<Conversation>;
  getConversation(id: string): Promise<Conversation | null>;
  findConversation(channel: Channel, key: string): Promise<Conversation | null>;
  /** Compare-and-set on `version`; returns the new row, or null when someone else updated it first. */
  updateConversation(id: string, expectedVersion: number, patch: ConversationPatch): Promise<Conversation | null>;

  /** Writes the message unless (channel, platformMsgId) exists. `inserted:false` marks a duplicate. */
  insertInbound(conversationId: string, message: InboundMessage): Promise<{ inserted: boolean; row: InboxRow }>;
  /** Pending rows of a conversation in platform-time order (sentAt, then platformMsgId). */
  listPendingInbound(conversationId: string, limit: number): Promise<InboxRow[]>;
  /** `error` is kept with a `failed` row and cleared by any other status. */
  setInboundStatus(id: string, status: InboxStatus, error?: string): Promise<void>;
  findInbound(channel: Channel, platformMsgId: string): Promise<InboxRow | null>;
  /** Conversations that still have pending rows (start-up reconciliation after a Redis loss). */
  listConversationsWithPending(limit: number): Promise<string[]>;
  /** Conversations with messages marked for the bot after a hand-back (`meta.replay`), oldest change first. */
  listConversationsWithReplay(limit: number): Promise<string[]>;
  /**
   * Conversations where the customer wrote this digit run (a phone number), spaces and dashes between digits
   * ignored; newest message first, at most `limit` (default 20, max 200). Digits only, 5 to 20 of them.
   */
  findConversationsByDigits(digits: string, limit?: number): Promise<string[]>;
  /** Every inbound row of a conversation, oldest first (transcripts). */
  listInbound(conversationId: string, limit: number): Promise<InboxRow[]>;

  /** Inserts unless `key` exists; returns the existing row in that case. */
  insertOutbound(input: NewOutbox): Promise<{ inserted: boolean; row: OutboxRow }>;
  getOutbound(key: string): Promise<OutboxRow | null>;
  updateOutbound(key: string, update: OutboxUpdate): Promise<OutboxRow | null>;
  listOutbound(filter: { conversationId?: string; status?: OutboxStatus; limit?: number }): Promise<OutboxRow[]>;

  createCase(input: NewCase): Promise<Case>;
  getCase(id: string): Promise<Case | null>;
  /** Compare-and-set on `version`; null when the version moved on. */
  updateCase(id: string, expectedVersion: number, patch: CasePatch): Promise<Case | null>;
  listCases(filter: CaseFilter): Promise<Page<Case>>;

  addEvidence(input: NewEvidence, bytes: Buffer): Promise<Evidence>;
  getEvidence(id: string): Promise<Evidence | null>;
  readEvidence(id: string): Promise<Buffer | null>;
  listEvidence(filter: { conversationId?: string; caseId?: string }): Promise<Evidence[]>;
  linkEvidence(ids: string[], caseId: string): Promise<void>;

  createUser(input: NewConsoleUser): Promise<ConsoleUser>;
  getUser(id: string): Promise<ConsoleUser | null>;
  getUserByName(username: string): Promise<ConsoleUser | null>;
  listUsers(): Promise<ConsoleUser[]>;
  updateUser(id: string, patch: ConsoleUserPatch): Promise<ConsoleUser | null>;

  addCaseEvent(input: NewCaseEvent): Promise<CaseEvent>;
  listCaseEvents(caseId: string): Promise<CaseEvent[]>;

  /** Inserts unless `key` exists; returns the existing row then. */
  insertAlert(input: NewAlert): Promise<{ inserted: boolean; row: Alert }>;
  /** Newest first; `before` is a createdAt bound for paging; `undelivered` lists those not pushed yet (oldest first). */
  listAlerts(filter: { limit?: number; before?: string; undelivered?: boolean; kind?: string }): Promise<Alert[]>;
  markAlertsDelivered(ids: string[], at: string): Promise<void>;

  /** Inserts unless `key` exists; returns the existing row then. */
  insertTask(input: NewTask): Promise<{ inserted: boolean; row: Task }>;
  getTask(id: string): Promise<Task | null>;
  /** Oldest first. */
  listTasks(filter: { status?: TaskStatus; caseId?: string; limit?: number }): Promise<Task[]>;
  updateTask(id: string, patch: TaskPatch): Promise<Task | null>;

  getToken(key: string): Promise<PlatformToken | null>;
  /**
   * Compare-and-set: writes when the stored version equals `expectedVersion` (0 = only if absent) and returns
   * the new row; null when another writer got there first.
   */
  saveToken(input: PlatformTokenWrite, expectedVersion: number): Promise<PlatformToken | null>;

  /** Small durable settings (WeCom sync cursors, first-start markers). */
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;

  /** Dashboard numbers: one bucket per group of cases created in the period (indexed; see src/analytics). */
  caseStats(query: StatsQuery): Promise<StatsBucket[]>;
  /** Cases of the period matching the filter, newest first (spike examples). Default 20, max 200. */
  listStatsCases(filter: StatsFilter & { limit?: number }): Promise<Case[]>;
  /** Cases rated 4–5 whose customer agreed to reuse their words (data.showcase.consent), newest data.showcase.at first. */
  listShowcase(filter: { from?: string; to?: string; limit?: number }): Promise<Case[]>;
  /** Writes complete cases as given (createdAt included) in one batch: demo data, benchmarks, imports. Ids must be new. */
  importCases(cases: Case[]): Promise<void>;

  createImprovement(input: NewImprovement): Promise<ImprovementItem>;
  getImprovement(id: string): Promise<ImprovementItem | null>;
  /** Newest first (createdAt, then id). */
  listImprovements(filter: ImprovementFilter): Promise<ImprovementItem[]>;
  /** Compare-and-set on `version`; null when the version moved on or the id is unknown. */
  updateImprovement(id: string, expectedVersion: number, patch: ImprovementPatch): Promise<ImprovementItem | null>;
}
