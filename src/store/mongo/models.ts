/**
 * Mongoose schemas for the MongoDB adapter, compiled on a dedicated connection (never the global one).
 * Documents mirror the interface types with `id` stored as a string `_id` (a UUID, like SQLite's ids) and
 * timestamps as ISO strings, which sort correctly as strings. `seq` breaks ties between rows written in the
 * same millisecond where the interface promises insertion order.
 */
import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';
import type { Case } from '../../core/types.js';
import { STATS_CASE_INDEXES } from './stats-indexes.js';
import type { Alert, Task, CaseEvent, ConsoleUser, Conversation, Customer, Evidence, InboxRow, OutboxRow } from '../types.js';

/** An interface row as stored: `id` becomes `_id`. */
export type Doc<T extends { id: string }> = Omit<T, 'id'> & { _id: string };
export type Sequenced = { seq: number };

export type CustomerDoc = Doc<Customer>;
export type ConversationDoc = Doc<Conversation>;
export type InboxDoc = Doc<InboxRow>;
export type OutboxDoc = Doc<OutboxRow> & Sequenced;
export type CaseDoc = Doc<Case>;
export type EvidenceDoc = Doc<Evidence> & Sequenced;
export type UserDoc = Doc<ConsoleUser>;
export type CaseEventDoc = Doc<CaseEvent> & Sequenced;
export type AlertDoc = Doc<Alert> & Sequenced;
export type TaskDoc = Doc<Task> & Sequenced;
export interface SettingDoc {
  _id: string;
  value: string;
  updatedAt: string;
}

// Keep `{}` states and nulls as written; our own `version` field replaces Mongoose's `__v`.
const options = { versionKey: false, minimize: false, strict: true } as const;
const id = { type: String, required: true };
const str = { type: String };
const nullableStr = { type: String, default: null };
const num = { type: Number };
const mixed = { type: Schema.Types.Mixed };

const customerSchema = new Schema(
  {
    _id: id,
    channel: str,
    platformUserId: str,
    nickname: nullableStr,
    memberLevel: nullableStr,
    createdAt: str,
    updatedAt: str,
  },
  { ...options, collection: 'customers' },
);
customerSchema.index({ channel: 1, platformUserId: 1 }, { unique: true });

const conversationSchema = new Schema(
  {
    _id: id,
    channel: str,
    key: str,
    customerId: str,
    mode: str,
    state: mixed,
    meta: mixed,
    lastCustomerAt: { type: Number, default: null },
    repliesSinceCustomer: num,
    version: num,
    createdAt: str,
    updatedAt: str,
  },
  { ...options, collection: 'conversations' },
);
conversationSchema.index({ channel: 1, key: 1 }, { unique: true });
conversationSchema.index({ customerId: 1 });
// The reconciler's look for hand-back replays whose trigger was lost: only conversations carrying the marker.
conversationSchema.index({ updatedAt: 1 }, { partialFilterExpression: { 'meta.replay': { $exists: true } } });

const inboxSchema = new Schema(
  {
    _id: id,
    channel: str,
    platformMsgId: str,
    conversationId: str,
    sentAt: num,
    from: str,
    status: str,
    message: mixed,
    receivedAt: str,
    processedAt: nullableStr,
    error: nullableStr,
  },
  { ...options, collection: 'inbox' },
);
inboxSchema.index({ channel: 1, platformMsgId: 1 }, { unique: true });
inboxSchema.index({ conversationId: 1, status: 1, sentAt: 1, platformMsgId: 1 });
inboxSchema.index({ conversationId: 1, sentAt: 1, platformMsgId: 1 });
inboxSchema.index({ status: 1, conversationId: 1, sentAt: 1 });

const outboxSchema = new Schema(
  {
    _id: id,
    key: str,
    conversationId: str,
    channel: str,
    author: str,
    authorId: nullableStr,
    caseId: nullableStr,
    reply: mixed,
    status: str,
    attempts: num,
    error: nullableStr,
    platformMsgId: nullableStr,
    createdAt: str,
    sentAt: nullableStr,
    seq: num,
  },
  { ...options, collection: 'outbox' },
);
outboxSchema.index({ key: 1 }, { unique: true });
outboxSchema.index({ conversationId: 1, createdAt: 1, seq: 1 });
outboxSchema.index({ status: 1, createdAt: 1, seq: 1 });

const caseSchema = new Schema(
  {
    _id: id,
    channel: str,
    customerId: str,
    conversationId: str,
    category: nullableStr,
    orderId: nullableStr,
    description: nullableStr,
    evidence: mixed,
    resolution: nullableStr,
    status: str,
    priority: num,
    risk: { type: Boolean },
    assignee: nullableStr,
    csat: { type: Number, default: null },
    reopenCount: num,
    sla: { type: Schema.Types.Mixed, default: null },
    steps: { type: Schema.Types.Mixed, default: () => [] },
    data: mixed,
    version: num,
    createdAt: str,
    updatedAt: str,
  },
  { ...options, collection: 'cases' },
);
// Every filter the console uses, each followed by the page order so a page is an index range.
caseSchema.index({ createdAt: -1, _id: -1 });
for (const field of ['status', 'customerId', 'conversationId', 'category', 'channel', 'assignee', 'orderId']) {
  caseSchema.index({ [field]: 1, createdAt: -1, _id: -1 });
}
// The dialogue lists a customer's cases on their channel at every turn.
caseSchema.index({ customerId: 1, channel: 1, createdAt: -1, _id: -1 });
for (const [spec, opts] of STATS_CASE_INDEXES) caseSchema.index(spec, opts);

const evidenceSchema = new Schema(
  {
    _id: id,
    conversationId: str,
    caseId: nullableStr,
    channel: str,
    kind: str,
    mime: str,
    size: num,
    sha256: str,
    source: nullableStr,
    createdAt: str,
    seq: num,
  },
  { ...options, collection: 'evidence' },
);
evidenceSchema.index({ conversationId: 1, createdAt: 1, seq: 1 });
evidenceSchema.index({ caseId: 1, createdAt: 1, seq: 1 });

const userSchema = new Schema(
  {
    _id: id,
    username: str,
    displayName: str,
    role: str,
    passwordHash: str,
    skills: { type: [String] },
    capacity: num,
    online: { type: Boolean },
    wecomUserId: nullableStr,
    createdAt: str,
    updatedAt: str,
  },
  { ...options, collection: 'users' },
);
userSchema.index({ username: 1 }, { unique: true });

const caseEventSchema = new Schema(
  {
    _id: id,
    caseId: str,
    at: str,
    type: str,
    actor: str,
    data: mixed,
    seq: num,
  },
  { ...options, collection: 'case_events' },
);
caseEventSchema.index({ caseId: 1, at: 1, seq: 1 });

const alertSchema = new Schema(
  {
    _id: id,
    key: str,
    kind: str,
    level: str,
    title: str,
    text: str,
    caseId: nullableStr,
    data: mixed,
    deliveredAt: nullableStr,
    createdAt: str,
    seq: num,
  },
  { ...options, collection: 'alerts' },
);
alertSchema.index({ key: 1 }, { unique: true });
alertSchema.index({ createdAt: -1, seq: -1 });
alertSchema.index({ deliveredAt: 1, createdAt: 1 });

const taskSchema = new Schema(
  {
    _id: id,
    key: str,
    kind: str,
    caseId: nullableStr,
    conversationId: nullableStr,
    reason: str,
    status: str,
    assignee: nullableStr,
    data: mixed,
    doneBy: nullableStr,
    doneAt: nullableStr,
    createdAt: str,
    updatedAt: str,
    seq: num,
  },
  { ...options, collection: 'tasks' },
);
taskSchema.index({ key: 1 }, { unique: true });
taskSchema.index({ status: 1, createdAt: 1, seq: 1 });
taskSchema.index({ caseId: 1, createdAt: 1 });

const settingSchema = new Schema({ _id: id, value: str, updatedAt: str }, { ...options, collection: 'settings' });

export interface Models {
  customers: Model<CustomerDoc>;
  conversations: Model<ConversationDoc>;
  inbox: Model<InboxDoc>;
  outbox: Model<OutboxDoc>;
  cases: Model<CaseDoc>;
  evidence: Model<EvidenceDoc>;
  users: Model<UserDoc>;
  caseEvents: Model<CaseEventDoc>;
  settings: Model<SettingDoc>;
  alerts: Model<AlertDoc>;
  tasks: Model<TaskDoc>;
}

export function registerModels(conn: Connection): Models {
  return {
    customers: conn.model<CustomerDoc>('Customer', customerSchema),
    conversations: conn.model<ConversationDoc>('Conversation', conversationSchema),
    inbox: conn.model<InboxDoc>('Inbox', inboxSchema),
    outbox: conn.model<OutboxDoc>('Outbox', outboxSchema),
    cases: conn.model<CaseDoc>('Case', caseSchema),
    evidence: conn.model<EvidenceDoc>('Evidence', evidenceSchema),
    users: conn.model<UserDoc>('User', userSchema),
    caseEvents: conn.model<CaseEventDoc>('CaseEvent', caseEventSchema),
    settings: conn.model<SettingDoc>('Setting', settingSchema),
    alerts: conn.model<AlertDoc>('Alert', alertSchema),
    tasks: conn.model<TaskDoc>('Task', taskSchema),
  };
}

/** Creates the indexes declared above (unique ones included); safe to run on every start. */
export async function ensureIndexes(m: Models): Promise<void> {
  await Promise.all([
    m.customers.createIndexes(),
    m.conversations.createIndexes(),
    m.inbox.createIndexes(),
    m.outbox.createIndexes(),
    m.cases.createIndexes(),
    m.evidence.createIndexes(),
    m.users.createIndexes(),
    m.caseEvents.createIndexes(),
    m.settings.createIndexes(),
    m.alerts.createIndexes(),
    m.tasks.createIndexes(),
  ]);
}

/** Maps a stored document back to the interface row: `_id` → `id`, the `seq` bookkeeping field dropped. */
export function fromDoc<T extends { _id: string; seq?: number }>(doc: T): Omit<T, '_id' | 'seq'> & { id: string } {
  const { _id, seq: _seq, ...rest } = doc;
  return { id: _id, ...rest };
}

let lastSeq = 0;
/** Increasing within this process and close to wall-clock order across processes. */
export function nextSeq(): number {
  lastSeq = Math.max(Date.now() * 1000, lastSeq + 1);
  return lastSeq;
}
