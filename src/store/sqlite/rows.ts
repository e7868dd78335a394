/** Column shapes of the SQLite tables and their mapping to the interface types. JSON columns are TEXT. */
import type {
  Author,
  Case,
  CaseCategory,
  CaseStatus,
  CaseStep,
  Channel,
  Csat,
  EvidenceKind,
  EvidenceRef,
  InboundMessage,
  OutboundReply,
  Priority,
  Resolution,
  SlaState,
} from '../../core/types.js';
import type {
  Alert,
  AlertLevel,
  Task,
  TaskStatus,
  CaseEvent,
  ConsoleUser,
  Conversation,
  ConversationMode,
  Customer,
  Evidence,
  InboxRow,
  InboxStatus,
  OutboxRow,
  OutboxStatus,
  Role,
} from '../types.js';
import { storedInbound } from '../builders.js';

/** Values better-sqlite3 binds: booleans and objects must be converted first. */
export type SqlValue = string | number | bigint | Buffer | null;

export const json = (value: unknown): string => JSON.stringify(value);
const parse = <T>(text: string): T => JSON.parse(text) as T;

export interface CustomerCols {
  id: string;
  channel: string;
  platform_user_id: string;
  nickname: string | null;
  member_level: string | null;
  created_at: string;
  updated_at: string;
}

export const toCustomer = (r: CustomerCols): Customer => ({
  id: r.id,
  channel: r.channel as Channel,
  platformUserId: r.platform_user_id,
  nickname: r.nickname,
  memberLevel: r.member_level,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface ConversationCols {
  id: string;
  channel: string;
  key: string;
  customer_id: string;
  mode: string;
  state: string;
  meta: string;
  last_customer_at: number | null;
  replies_since_customer: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export const toConversation = (r: ConversationCols): Conversation => ({
  id: r.id,
  channel: r.channel as Channel,
  key: r.key,
  customerId: r.customer_id,
  mode: r.mode as ConversationMode,
  state: parse<Record<string, unknown>>(r.state),
  meta: parse<Record<string, unknown>>(r.meta),
  lastCustomerAt: r.last_customer_at,
  repliesSinceCustomer: r.replies_since_customer,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface InboxCols {
  id: string;
  channel: string;
  platform_msg_id: string;
  conversation_id: string;
  sent_at: number;
  from_author: string;
  status: string;
  message: string;
  received_at: string;
  processed_at: string | null;
  error: string | null;
}

export const toInbox = (r: InboxCols): InboxRow => ({
  id: r.id,
  channel: r.channel as Channel,
  platformMsgId: r.platform_msg_id,
  conversationId: r.conversation_id,
  sentAt: r.sent_at,
  from: r.from_author as Author,
  status: r.status as InboxStatus,
  message: storedInbound(parse<InboundMessage>(r.message)),
  receivedAt: r.received_at,
  processedAt: r.processed_at,
  error: r.error,
});

export interface OutboxCols {
  id: string;
  key: string;
  conversation_id: string;
  channel: string;
  author: string;
  author_id: string | null;
  case_id: string | null;
  reply: string;
  status: string;
  attempts: number;
  error: string | null;
  platform_msg_id: string | null;
  created_at: string;
  sent_at: string | null;
}

export const toOutbox = (r: OutboxCols): OutboxRow => ({
  id: r.id,
  key: r.key,
  conversationId: r.conversation_id,
  channel: r.channel as Channel,
  author: r.author as Author,
  authorId: r.author_id,
  caseId: r.case_id,
  reply: parse<OutboundReply>(r.reply),
  status: r.status as OutboxStatus,
  attempts: r.attempts,
  error: r.error,
  platformMsgId: r.platform_msg_id,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

export interface CaseCols {
  id: string;
  channel: string;
  customer_id: string;
  conversation_id: string;
  category: string | null;
  order_id: string | null;
  description: string | null;
  evidence: string;
  resolution: string | null;
  status: string;
  priority: number;
  risk: number;
  assignee: string | null;
  csat: number | null;
  reopen_count: number;
  /** JSON object, or NULL before a person's clock ran (migration 10). */
  sla: string | null;
  /** JSON array (migration 10). */
  steps: string;
  data: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export const toCase = (r: CaseCols): Case => ({
  id: r.id,
  channel: r.channel as Channel,
  customerId: r.customer_id,
  conversationId: r.conversation_id,
  category: r.category as CaseCategory | null,
  orderId: r.order_id,
  description: r.description,
  evidence: parse<EvidenceRef[]>(r.evidence),
  resolution: r.resolution as Resolution | null,
  status: r.status as CaseStatus,
  priority: r.priority as Priority,
  risk: r.risk === 1,
  assignee: r.assignee,
  csat: r.csat as Csat | null,
  reopenCount: r.reopen_count,
  sla: r.sla === null ? null : parse<SlaState>(r.sla),
  steps: parse<CaseStep[]>(r.steps),
  data: parse<Record<string, unknown>>(r.data),
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Case fields a patch may set, as column → bound value. */
export function caseColumns(c: Partial<Case>): Record<string, SqlValue> {
  const cols: Record<string, SqlValue> = {};
  if (c.category !== undefined) cols.category = c.category;
  if (c.orderId !== undefined) cols.order_id = c.orderId;
  if (c.description !== undefined) cols.description = c.description;
  if (c.evidence !== undefined) cols.evidence = json(c.evidence);
  if (c.resolution !== undefined) cols.resolution = c.resolution;
  if (c.status !== undefined) cols.status = c.status;
  if (c.priority !== undefined) cols.priority = c.priority;
  if (c.risk !== undefined) cols.risk = c.risk ? 1 : 0;
  if (c.assignee !== undefined) cols.assignee = c.assignee;
  if (c.csat !== undefined) cols.csat = c.csat;
  if (c.reopenCount !== undefined) cols.reopen_count = c.reopenCount;
  // SQL NULL, not the text 'null': the generated st_sla_breaches column tells "no SLA" by it.
  if (c.sla !== undefined) cols.sla = c.sla === null ? null : json(c.sla);
  if (c.steps !== undefined) cols.steps = json(c.steps);
  if (c.data !== undefined) cols.data = json(c.data);
  return cols;
}

export interface EvidenceCols {
  id: string;
  conversation_id: string;
  case_id: string | null;
  channel: string;
  kind: string;
  mime: string;
  size: number;
  sha256: string;
  source: string | null;
  created_at: string;
}

export const toEvidence = (r: EvidenceCols): Evidence => ({
  id: r.id,
  conversationId: r.conversation_id,
  caseId: r.case_id,
  channel: r.channel as Channel,
  kind: r.kind as EvidenceKind,
  mime: r.mime,
  size: r.size,
  sha256: r.sha256,
  source: r.source,
  createdAt: r.created_at,
});

export interface UserCols {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  skills: string;
  capacity: number;
  online: number;
  wecom_user_id: string | null;
  created_at: string;
  updated_at: string;
}

export const toUser = (r: UserCols): ConsoleUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role as Role,
  passwordHash: r.password_hash,
  skills: parse<string[]>(r.skills),
  capacity: r.capacity,
  online: r.online === 1,
  wecomUserId: r.wecom_user_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface CaseEventCols {
  id: string;
  case_id: string;
  at: string;
  type: string;
  actor: string;
  data: string;
}

export const toCaseEvent = (r: CaseEventCols): CaseEvent => ({
  id: r.id,
  caseId: r.case_id,
  at: r.at,
  type: r.type,
  actor: r.actor,
  data: parse<Record<string, unknown>>(r.data),
});

export interface AlertCols {
  id: string;
  key: string;
  kind: string;
  level: string;
  title: string;
  text: string;
  case_id: string | null;
  data: string;
  delivered_at: string | null;
  created_at: string;
}

export const toAlert = (r: AlertCols): Alert => ({
  id: r.id,
  key: r.key,
  kind: r.kind,
  level: r.level as AlertLevel,
  title: r.title,
  text: r.text,
  caseId: r.case_id,
  data: parse<Record<string, unknown>>(r.data),
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
});

export interface TaskCols {
  id: string;
  key: string;
  kind: string;
  case_id: string | null;
  conversation_id: string | null;
  reason: string;
  status: string;
  assignee: string | null;
  data: string;
  done_by: string | null;
  done_at: string | null;
  created_at: string;
  updated_at: string;
}

export const toTask = (r: TaskCols): Task => ({
  id: r.id,
  key: r.key,
  kind: r.kind,
  caseId: r.case_id,
  conversationId: r.conversation_id,
  reason: r.reason,
  status: r.status as TaskStatus,
  assignee: r.assignee,
  data: parse<Record<string, unknown>>(r.data),
  doneBy: r.done_by,
  doneAt: r.done_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
