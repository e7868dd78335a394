/** Interface objects → column values for INSERTs (the reverse of rows.ts). */
import type { Case } from '../../core/types.js';
import type {
  Alert,
  Task,
  TaskPatch,
  CaseEvent,
  ConsoleUser,
  ConsoleUserPatch,
  Conversation,
  ConversationPatch,
  Customer,
  Evidence,
  InboxRow,
  OutboxRow,
  OutboxUpdate,
} from '../types.js';
import { caseColumns, json } from './rows.js';
import type { SqlValue } from './rows.js';

export type Columns = Record<string, SqlValue>;

export const customerColumns = (c: Customer): Columns => ({
  id: c.id,
  channel: c.channel,
  platform_user_id: c.platformUserId,
  nickname: c.nickname,
  member_level: c.memberLevel,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

export const conversationColumns = (c: Conversation): Columns => ({
  id: c.id,
  channel: c.channel,
  key: c.key,
  customer_id: c.customerId,
  mode: c.mode,
  state: json(c.state),
  meta: json(c.meta),
  last_customer_at: c.lastCustomerAt,
  replies_since_customer: c.repliesSinceCustomer,
  version: c.version,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

export const inboxColumns = (r: InboxRow): Columns => ({
  id: r.id,
  channel: r.channel,
  platform_msg_id: r.platformMsgId,
  conversation_id: r.conversationId,
  sent_at: r.sentAt,
  from_author: r.from,
  status: r.status,
  message: json(r.message),
  received_at: r.receivedAt,
  processed_at: r.processedAt,
  error: r.error,
});

export const outboxColumns = (r: OutboxRow): Columns => ({
  id: r.id,
  key: r.key,
  conversation_id: r.conversationId,
  channel: r.channel,
  author: r.author,
  author_id: r.authorId,
  case_id: r.caseId,
  reply: json(r.reply),
  status: r.status,
  attempts: r.attempts,
  error: r.error,
  platform_msg_id: r.platformMsgId,
  created_at: r.createdAt,
  sent_at: r.sentAt,
});

export const caseInsertColumns = (c: Case): Columns => ({
  ...caseColumns(c),
  id: c.id,
  channel: c.channel,
  customer_id: c.customerId,
  conversation_id: c.conversationId,
  version: c.version,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

export const evidenceColumns = (e: Evidence): Columns => ({
  id: e.id,
  conversation_id: e.conversationId,
  case_id: e.caseId,
  channel: e.channel,
  kind: e.kind,
  mime: e.mime,
  size: e.size,
  sha256: e.sha256,
  source: e.source,
  created_at: e.createdAt,
});

export const userColumns = (u: ConsoleUser): Columns => ({
  id: u.id,
  username: u.username,
  display_name: u.displayName,
  role: u.role,
  password_hash: u.passwordHash,
  skills: json(u.skills),
  capacity: u.capacity,
  online: u.online ? 1 : 0,
  wecom_user_id: u.wecomUserId,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});

export const caseEventColumns = (e: CaseEvent): Columns => ({
  id: e.id,
  case_id: e.caseId,
  at: e.at,
  type: e.type,
  actor: e.actor,
  data: json(e.data),
});

export function conversationPatchColumns(p: ConversationPatch): Columns {
  const cols: Columns = {};
  if (p.mode !== undefined) cols.mode = p.mode;
  if (p.state !== undefined) cols.state = json(p.state);
  if (p.meta !== undefined) cols.meta = json(p.meta);
  if (p.lastCustomerAt !== undefined) cols.last_customer_at = p.lastCustomerAt;
  if (p.repliesSinceCustomer !== undefined) cols.replies_since_customer = p.repliesSinceCustomer;
  return cols;
}

export function outboxUpdateColumns(u: OutboxUpdate): Columns {
  const cols: Columns = { status: u.status };
  if (u.attempts !== undefined) cols.attempts = u.attempts;
  if (u.error !== undefined) cols.error = u.error;
  if (u.platformMsgId !== undefined) cols.platform_msg_id = u.platformMsgId;
  if (u.sentAt !== undefined) cols.sent_at = u.sentAt;
  return cols;
}

export function userPatchColumns(p: ConsoleUserPatch): Columns {
  const cols: Columns = {};
  if (p.displayName !== undefined) cols.display_name = p.displayName;
  if (p.role !== undefined) cols.role = p.role;
  if (p.passwordHash !== undefined) cols.password_hash = p.passwordHash;
  if (p.skills !== undefined) cols.skills = json(p.skills);
  if (p.capacity !== undefined) cols.capacity = p.capacity;
  if (p.online !== undefined) cols.online = p.online ? 1 : 0;
  if (p.wecomUserId !== undefined) cols.wecom_user_id = p.wecomUserId;
  return cols;
}

export function customerPatchColumns(p: Partial<Pick<Customer, 'nickname' | 'memberLevel'>>): Columns {
  const cols: Columns = {};
  if (p.nickname !== undefined) cols.nickname = p.nickname;
  if (p.memberLevel !== undefined) cols.member_level = p.memberLevel;
  return cols;
}

export const alertColumns = (a: Alert): Columns => ({
  id: a.id,
  key: a.key,
  kind: a.kind,
  level: a.level,
  title: a.title,
  text: a.text,
  case_id: a.caseId,
  data: json(a.data),
  delivered_at: a.deliveredAt,
  created_at: a.createdAt,
});

export const taskColumns = (t: Task): Columns => ({
  id: t.id,
  key: t.key,
  kind: t.kind,
  case_id: t.caseId,
  conversation_id: t.conversationId,
  reason: t.reason,
  status: t.status,
  assignee: t.assignee,
  data: json(t.data),
  done_by: t.doneBy,
  done_at: t.doneAt,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});

export function taskPatchColumns(p: TaskPatch): Columns {
  const cols: Columns = {};
  if (p.status !== undefined) cols.status = p.status;
  if (p.assignee !== undefined) cols.assignee = p.assignee;
  if (p.doneBy !== undefined) cols.done_by = p.doneBy;
  if (p.doneAt !== undefined) cols.done_at = p.doneAt;
  if (p.data !== undefined) cols.data = json(p.data);
  return cols;
}
