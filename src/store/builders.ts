/**
 * New rows as domain objects, with the defaults both adapters must agree on. Each adapter only maps these to
 * its own columns or documents, so a case created on SQLite and one created on MongoDB look the same.
 */
import { createHash, randomUUID } from 'node:crypto';
import { badRequest, conflict } from '../core/errors.js';
import type { Case, InboundMessage } from '../core/types.js';
import type {
  Alert,
  NewAlert,
  NewTask,
  Task,
  TaskPatch,
  CaseEvent,
  CasePatch,
  ConsoleUser,
  ConsoleUserPatch,
  ConversationPatch,
  Conversation,
  Customer,
  Evidence,
  InboxRow,
  InboxStatus,
  NewCase,
  NewConsoleUser,
  NewEvidence,
  NewOutbox,
  OutboxRow,
} from './types.js';

export const nowIso = (): string => new Date().toISOString();

/**
 * The named keys of `obj` whose value is not `undefined`: a Partial patch touches only what the caller set,
 * and never a field outside the patch type (a spread-in `version` or `id` is ignored, not written).
 */
export function pickDefined<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    if (obj[key] !== undefined) out[key] = obj[key];
  }
  return out;
}

export const CASE_PATCH_KEYS = [
  'category', 'orderId', 'description', 'evidence', 'resolution', 'status', 'priority', 'risk', 'assignee', 'csat',
  'reopenCount', 'sla', 'steps', 'data',
] as const satisfies readonly (keyof CasePatch)[];

export const USER_PATCH_KEYS = [
  'displayName', 'role', 'passwordHash', 'skills', 'capacity', 'online', 'wecomUserId',
] as const satisfies readonly (keyof ConsoleUserPatch)[];

export const CONVERSATION_PATCH_KEYS = [
  'mode', 'state', 'meta', 'lastCustomerAt', 'repliesSinceCustomer',
] as const satisfies readonly (keyof ConversationPatch)[];

/** A status that ends processing stamps `processedAt`; going back to pending clears it. */
export function processedAtFor(status: InboxStatus, now: string): string | null {
  return status === 'pending' ? null : now;
}

export function buildCustomer(input: {
  channel: Customer['channel'];
  platformUserId: string;
  nickname?: string | null;
}): Customer {
  const now = nowIso();
  return {
    id: randomUUID(),
    channel: input.channel,
    platformUserId: input.platformUserId,
    nickname: input.nickname ?? null,
    memberLevel: null,
    createdAt: now,
    updatedAt: now,
  };
}

export function buildConversation(input: {
  channel: Conversation['channel'];
  key: string;
  customerId: string;
  meta?: Record<string, unknown>;
}): Conversation {
  const now = nowIso();
  return {
    id: randomUUID(),
    channel: input.channel,
    key: input.key,
    customerId: input.customerId,
    mode: 'bot',
    state: {},
    meta: input.meta ?? {},
    lastCustomerAt: null,
    repliesSinceCustomer: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

export function buildInbox(conversationId: string, message: InboundMessage): InboxRow {
  return {
    id: randomUUID(),
    channel: message.channel,
    platformMsgId: message.platformMsgId,
    conversationId,
    sentAt: message.sentAt,
    from: message.from,
    status: 'pending',
    message,
    receivedAt: nowIso(),
    processedAt: null,
    error: null,
  };
}

/**
 * An inbox row's message as stored. Rows written before `InboundMessage.customerId` was renamed `platformUserId`
 * carry the old key; they read in the current shape, so a row left pending across the upgrade still drains.
 */
export function storedInbound(stored: InboundMessage): InboundMessage {
  if (typeof stored.platformUserId === 'string') return stored;
  const { customerId, ...rest } = stored as InboundMessage & { customerId?: string };
  return typeof customerId === 'string' ? { ...rest, platformUserId: customerId } : stored;
}

export function buildOutbox(input: NewOutbox): OutboxRow {
  return {
    id: randomUUID(),
    key: input.key,
    conversationId: input.conversationId,
    channel: input.channel,
    author: input.author,
    authorId: input.authorId ?? null,
    caseId: input.caseId ?? null,
    reply: input.reply,
    status: input.status ?? 'pending',
    attempts: 0,
    error: null,
    platformMsgId: null,
    createdAt: nowIso(),
    sentAt: null,
  };
}

export function buildCase(input: NewCase): Case {
  const now = nowIso();
  return {
    id: randomUUID(),
    channel: input.channel,
    customerId: input.customerId,
    conversationId: input.conversationId,
    category: input.category ?? null,
    orderId: input.orderId ?? null,
    description: input.description ?? null,
    evidence: [],
    resolution: null,
    status: input.status ?? 'collecting',
    priority: input.priority ?? 2,
    risk: input.risk ?? false,
    assignee: null,
    csat: null,
    reopenCount: 0,
    sla: null,
    steps: [],
    data: input.data ?? {},
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The metadata row for stored bytes. `size` and `sha256` must describe `bytes`: a mismatch means the caller
 * hashed something else, and storing it would make the audit trail lie.
 */
export function buildEvidence(input: NewEvidence, bytes: Buffer): Evidence {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (input.sha256.toLowerCase() !== sha256 || input.size !== bytes.length) {
    throw badRequest('evidence_mismatch', 'Evidence size or sha256 does not match the bytes.');
  }
  return {
    id: randomUUID(),
    conversationId: input.conversationId,
    caseId: input.caseId ?? null,
    channel: input.channel,
    kind: input.kind,
    mime: input.mime,
    size: bytes.length,
    sha256,
    source: input.source ?? null,
    createdAt: nowIso(),
  };
}

export function buildUser(input: NewConsoleUser): ConsoleUser {
  const now = nowIso();
  return {
    id: randomUUID(),
    username: input.username,
    displayName: input.displayName,
    role: input.role,
    passwordHash: input.passwordHash,
    skills: input.skills ?? [],
    capacity: input.capacity ?? 5,
    online: input.online ?? false,
    wecomUserId: input.wecomUserId ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

export function buildCaseEvent(input: Omit<CaseEvent, 'id' | 'at'> & { at?: string }): CaseEvent {
  return {
    id: randomUUID(),
    caseId: input.caseId,
    at: input.at ?? nowIso(),
    type: input.type,
    actor: input.actor,
    data: input.data,
  };
}

/** Thrown by createUser when the database's unique index on username refuses the row. */
export const usernameTaken = (username: string): Error =>
  conflict('username_taken', `Username "${username}" is already taken.`);

/** A row just written or found by its unique key must be there; anything else is a broken database. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} missing right after it was written`);
  return value;
}

export function buildAlert(input: NewAlert): Alert {
  return {
    id: randomUUID(),
    key: input.key,
    kind: input.kind,
    level: input.level,
    title: input.title,
    text: input.text,
    caseId: input.caseId ?? null,
    data: input.data ?? {},
    deliveredAt: null,
    createdAt: nowIso(),
  };
}

export function buildTask(input: NewTask): Task {
  const now = nowIso();
  return {
    id: randomUUID(),
    key: input.key,
    kind: input.kind,
    caseId: input.caseId ?? null,
    conversationId: input.conversationId ?? null,
    reason: input.reason,
    status: 'open',
    assignee: input.assignee ?? null,
    data: input.data ?? {},
    doneBy: null,
    doneAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

export const TASK_PATCH_KEYS = ['status', 'assignee', 'doneBy', 'doneAt', 'data'] as const satisfies readonly (keyof TaskPatch)[];
