/**
 * The MongoDB Store: Mongoose models on a dedicated connection, evidence bytes in GridFS. Uniqueness comes from
 * unique indexes (a duplicate insert fails with code 11000 and we return the existing document); versioned
 * updates are one findOneAndUpdate on `{_id, version}`. No multi-document transactions anywhere.
 */
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import type { Case, Channel, InboundMessage } from '../../core/types.js';
import {
  buildAlert, buildCase, buildCaseEvent, buildConversation, buildCustomer, buildEvidence, buildInbox, buildOutbox, buildTask, buildUser,
  storedInbound,
  CASE_PATCH_KEYS, CONVERSATION_PATCH_KEYS, nowIso, pickDefined, present, processedAtFor, TASK_PATCH_KEYS, USER_PATCH_KEYS,
  usernameTaken,
} from '../builders.js';
import { clampLimit, LIST_DEFAULT, LIST_MAX } from '../paging.js';
import type {
  Alert, NewAlert, NewTask, Task, TaskPatch, TaskStatus,
  CaseEvent, CaseFilter, CasePatch, ConsoleUser, ConsoleUserPatch, Conversation, ConversationPatch, Customer,
  Evidence, InboxRow, InboxStatus, NewCase, NewConsoleUser, NewEvidence, NewOutbox, OutboxRow, OutboxStatus,
  OutboxUpdate, Page, Store,
} from '../types.js';
import { casePage } from './case-page.js';
import { DIGIT_SEPARATORS, digitQuery } from '../digits.js';
import { deleteFile, downloadFile, uploadFile } from './gridfs.js';
import { openConnection } from './connect.js';
import type { MongoStoreOptions, Opened } from './connect.js';
import { ensureIndexes, fromDoc, nextSeq } from './models.js';
import type * as D from './models.js';
import { AFTER, insertUnlessDuplicate, many, one, retryOnDuplicate } from './queries.js';
import * as stats from './stats.js';
import type { PlatformToken, PlatformTokenWrite, StatsBucket, StatsFilter, StatsQuery } from '../types.js';
import { moveCaseFields } from './case-fields.js';
import * as tokens from './tokens.js';
import * as improvements from './improvements.js';
import type { ImprovementFilter, ImprovementItem, ImprovementPatch, NewImprovement } from '../types.js';

export type { MongoStoreOptions } from './connect.js';
export { isDuplicateKey } from './queries.js';

const inboxRow = (row: InboxRow): InboxRow => ({ ...row, message: storedInbound(row.message) });

export class MongoStore implements Store {
  readonly kind = 'mongo' as const;
  private opening: Promise<Opened> | null = null;
  private opened: Opened | null = null;

  constructor(private readonly options: MongoStoreOptions) {}

  private get o(): Opened {
    if (!this.opened) throw new Error('MongoStore used before init() or after close()');
    return this.opened;
  }

  private get m(): D.Models {
    return this.o.models;
  }

  /** The open connection, for tests and maintenance. */
  get connection(): Connection {
    return this.o.conn;
  }

  async init(): Promise<void> {
    // Concurrent init() calls share one connection attempt; a failed attempt can be retried.
    this.opening ??= openConnection(this.options).catch((err: unknown) => {
      this.opening = null;
      throw err;
    });
    this.opened = await this.opening;
    await ensureIndexes(this.m);
    await moveCaseFields(this.m.cases);
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = null;
    this.opened = null;
    const opened = await opening?.catch(() => null);
    await opened?.conn.close();
  }

  async ping(): Promise<void> {
    await this.o.db.admin().ping();
  }

  /** Test helper: drops this store's whole database. */
  async dropDatabase(): Promise<void> {
    await this.o.db.dropDatabase();
  }

  async upsertCustomer(input: { channel: Channel; platformUserId: string; nickname?: string | null }): Promise<Customer> {
    const { id, ...rest } = buildCustomer(input);
    await insertUnlessDuplicate(this.m.customers, { _id: id, ...rest });
    const key = { channel: input.channel, platformUserId: input.platformUserId };
    if (input.nickname !== undefined && input.nickname !== null) {
      await this.m.customers.updateOne(
        { ...key, nickname: mongoose.trusted({ $ne: input.nickname }) },
        { $set: { nickname: input.nickname, updatedAt: nowIso() } },
      );
    }
    const doc = await this.m.customers.findOne(key).lean<D.CustomerDoc>();
    return fromDoc(present(doc, 'customer'));
  }

  async getCustomer(id: string): Promise<Customer | null> {
    return one(this.m.customers.findById(id).lean<D.CustomerDoc>());
  }

  async updateCustomer(id: string, patch: Partial<Pick<Customer, 'nickname' | 'memberLevel'>>): Promise<Customer | null> {
    const set = { ...pickDefined(patch, ['nickname', 'memberLevel']), updatedAt: nowIso() };
    return one(this.m.customers.findOneAndUpdate({ _id: id }, { $set: set }, AFTER).lean<D.CustomerDoc>());
  }

  async getOrCreateConversation(input: Parameters<Store['getOrCreateConversation']>[0]): Promise<Conversation> {
    const { id, ...rest } = buildConversation(input);
    await insertUnlessDuplicate(this.m.conversations, { _id: id, ...rest });
    return present(await this.findConversation(input.channel, input.key), 'conversation');
  }

  async getConversation(id: string): Promise<Conversation | null> {
    return one(this.m.conversations.findById(id).lean<D.ConversationDoc>());
  }

  async findConversation(channel: Channel, key: string): Promise<Conversation | null> {
    return one(this.m.conversations.findOne({ channel, key }).lean<D.ConversationDoc>());
  }

  async updateConversation(id: string, expectedVersion: number, patch: ConversationPatch): Promise<Conversation | null> {
    const set = { ...pickDefined(patch, CONVERSATION_PATCH_KEYS), updatedAt: nowIso() };
    return one(
      this.m.conversations
        .findOneAndUpdate({ _id: id, version: expectedVersion }, { $set: set, $inc: { version: 1 } }, AFTER)
        .lean<D.ConversationDoc>(),
    );
  }

  async insertInbound(conversationId: string, message: InboundMessage): Promise<{ inserted: boolean; row: InboxRow }> {
    const { id, ...rest } = buildInbox(conversationId, message);
    const inserted = await insertUnlessDuplicate(this.m.inbox, { _id: id, ...rest });
    return { inserted, row: present(await this.findInbound(message.channel, message.platformMsgId), 'inbound row') };
  }

  async listPendingInbound(conversationId: string, limit: number): Promise<InboxRow[]> {
    const rows = await many(
      this.m.inbox
        .find({ conversationId, status: 'pending' })
        .sort({ sentAt: 1, platformMsgId: 1 })
        .limit(clampLimit(limit, LIST_DEFAULT, LIST_MAX))
        .lean<D.InboxDoc[]>(),
    );
    return rows.map(inboxRow);
  }

  async setInboundStatus(id: string, status: InboxStatus, error?: string): Promise<void> {
    const why = status === 'failed' ? (error ?? null) : null;
    await this.m.inbox.updateOne({ _id: id }, { $set: { status, processedAt: processedAtFor(status, nowIso()), error: why } });
  }

  async findInbound(channel: Channel, platformMsgId: string): Promise<InboxRow | null> {
    const row = await one(this.m.inbox.findOne({ channel, platformMsgId }).lean<D.InboxDoc>());
    return row && inboxRow(row);
  }

  async listConversationsWithReplay(limit: number): Promise<string[]> {
    const docs = await this.m.conversations
      .find({ 'meta.replay': { $exists: true } }, { _id: 1 })
      .sort({ updatedAt: 1, _id: 1 })
      .limit(clampLimit(limit, LIST_DEFAULT, LIST_MAX))
      .lean<{ _id: string }[]>();
    return docs.map((d) => d._id);
  }

  async listConversationsWithPending(limit: number): Promise<string[]> {
    const groups = await this.m.inbox.aggregate<{ _id: string; first: number }>([
      { $match: { status: 'pending' } },
      { $group: { _id: '$conversationId', first: { $min: '$sentAt' } } },
      { $sort: { first: 1, _id: 1 } },
      { $limit: clampLimit(limit, LIST_DEFAULT, LIST_MAX) },
    ]);
    return groups.map((g) => g._id);
  }

  async findConversationsByDigits(digits: string, limit?: number): Promise<string[]> {
    const q = digitQuery(digits, limit);
    const between = `[${DIGIT_SEPARATORS.join('').replace('-', '\\-')}]*`;
    const rows = await this.m.inbox.aggregate<{ _id: string }>([
      { $match: { from: 'customer', 'message.text': mongoose.trusted({ $regex: q.digits.split('').join(between) }) } },
      { $group: { _id: '$conversationId', last: { $max: '$sentAt' } } },
      { $sort: { last: -1, _id: 1 } },
      { $limit: q.limit },
    ]);
    return rows.map((r) => r._id);
  }

  async listInbound(conversationId: string, limit: number): Promise<InboxRow[]> {
    const rows = await many(
      this.m.inbox
        .find({ conversationId })
        .sort({ sentAt: 1, platformMsgId: 1 })
        .limit(clampLimit(limit, LIST_DEFAULT, LIST_MAX))
        .lean<D.InboxDoc[]>(),
    );
    return rows.map(inboxRow);
  }

  async insertOutbound(input: NewOutbox): Promise<{ inserted: boolean; row: OutboxRow }> {
    const { id, ...rest } = buildOutbox(input);
    const inserted = await insertUnlessDuplicate(this.m.outbox, { _id: id, ...rest, seq: nextSeq() });
    return { inserted, row: present(await this.getOutbound(input.key), 'outbound row') };
  }

  async getOutbound(key: string): Promise<OutboxRow | null> {
    return one(this.m.outbox.findOne({ key }).lean<D.OutboxDoc>());
  }

  async updateOutbound(key: string, update: OutboxUpdate): Promise<OutboxRow | null> {
    const set = pickDefined(update, ['status', 'attempts', 'error', 'platformMsgId', 'sentAt']);
    return one(this.m.outbox.findOneAndUpdate({ key }, { $set: set }, AFTER).lean<D.OutboxDoc>());
  }

  async listOutbound(filter: { conversationId?: string; status?: OutboxStatus; limit?: number }): Promise<OutboxRow[]> {
    return many(
      this.m.outbox
        .find(pickDefined(filter, ['conversationId', 'status']))
        .sort({ createdAt: 1, seq: 1 })
        .limit(clampLimit(filter.limit, LIST_DEFAULT, LIST_MAX))
        .lean<D.OutboxDoc[]>(),
    );
  }

  async createCase(input: NewCase): Promise<Case> {
    const { id, ...rest } = buildCase(input);
    await this.m.cases.create({ _id: id, ...rest });
    return present(await this.getCase(id), 'case');
  }

  async getCase(id: string): Promise<Case | null> {
    return one(this.m.cases.findById(id).lean<D.CaseDoc>());
  }

  async updateCase(id: string, expectedVersion: number, patch: CasePatch): Promise<Case | null> {
    const set = { ...pickDefined(patch, CASE_PATCH_KEYS), updatedAt: nowIso() };
    return one(
      this.m.cases
        .findOneAndUpdate({ _id: id, version: expectedVersion }, { $set: set, $inc: { version: 1 } }, AFTER)
        .lean<D.CaseDoc>(),
    );
  }

  async listCases(filter: CaseFilter): Promise<Page<Case>> {
    return casePage(this.m.cases, filter);
  }

  async addEvidence(input: NewEvidence, bytes: Buffer): Promise<Evidence> {
    const { id, ...rest } = buildEvidence(input, bytes);
    // Bytes first: a metadata document must never point at a file that is not there.
    await uploadFile(this.o.bucket, id, bytes, { sha256: rest.sha256, mime: rest.mime });
    try {
      await this.m.evidence.create({ _id: id, ...rest, seq: nextSeq() });
    } catch (err) {
      await deleteFile(this.o.bucket, id);
      throw err;
    }
    return present(await this.getEvidence(id), 'evidence');
  }

  async getEvidence(id: string): Promise<Evidence | null> {
    return one(this.m.evidence.findById(id).lean<D.EvidenceDoc>());
  }

  async readEvidence(id: string): Promise<Buffer | null> {
    if (!(await this.getEvidence(id))) return null;
    return downloadFile(this.o.bucket, id);
  }

  async listEvidence(filter: { conversationId?: string; caseId?: string }): Promise<Evidence[]> {
    return many(
      this.m.evidence
        .find(pickDefined(filter, ['conversationId', 'caseId']))
        .sort({ createdAt: 1, seq: 1 })
        .lean<D.EvidenceDoc[]>(),
    );
  }

  async linkEvidence(ids: string[], caseId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.m.evidence.updateMany({ _id: mongoose.trusted({ $in: ids }) }, { $set: { caseId } });
  }

  async createUser(input: NewConsoleUser): Promise<ConsoleUser> {
    const { id, ...rest } = buildUser(input);
    if (!(await insertUnlessDuplicate(this.m.users, { _id: id, ...rest }))) throw usernameTaken(input.username);
    return present(await this.getUser(id), 'user');
  }

  async getUser(id: string): Promise<ConsoleUser | null> {
    return one(this.m.users.findById(id).lean<D.UserDoc>());
  }

  async getUserByName(username: string): Promise<ConsoleUser | null> {
    return one(this.m.users.findOne({ username }).lean<D.UserDoc>());
  }

  async listUsers(): Promise<ConsoleUser[]> {
    return many(this.m.users.find({}).sort({ username: 1 }).lean<D.UserDoc[]>());
  }

  async updateUser(id: string, patch: ConsoleUserPatch): Promise<ConsoleUser | null> {
    const set = { ...pickDefined(patch, USER_PATCH_KEYS), updatedAt: nowIso() };
    return one(this.m.users.findOneAndUpdate({ _id: id }, { $set: set }, AFTER).lean<D.UserDoc>());
  }

  async addCaseEvent(input: Omit<CaseEvent, 'id' | 'at'> & { at?: string }): Promise<CaseEvent> {
    const event = buildCaseEvent(input);
    const { id, ...rest } = event;
    await this.m.caseEvents.create({ _id: id, ...rest, seq: nextSeq() });
    return event;
  }

  async listCaseEvents(caseId: string): Promise<CaseEvent[]> {
    return many(this.m.caseEvents.find({ caseId }).sort({ at: 1, seq: 1 }).lean<D.CaseEventDoc[]>());
  }

  async insertAlert(input: NewAlert): Promise<{ inserted: boolean; row: Alert }> {
    const { id, ...rest } = buildAlert(input);
    const inserted = await insertUnlessDuplicate(this.m.alerts, { _id: id, ...rest, seq: nextSeq() });
    return { inserted, row: present(await one(this.m.alerts.findOne({ key: input.key }).lean<D.AlertDoc>()), 'alert') };
  }

  async listAlerts(filter: { limit?: number; before?: string; undelivered?: boolean; kind?: string }): Promise<Alert[]> {
    const q: Record<string, unknown> = {};
    if (filter.undelivered) q.deliveredAt = null;
    if (filter.before) q.createdAt = mongoose.trusted({ $lt: filter.before });
    if (filter.kind) q.kind = filter.kind;
    const sort = filter.undelivered ? ({ createdAt: 1, seq: 1 } as const) : ({ createdAt: -1, seq: -1 } as const);
    const limit = clampLimit(filter.limit, LIST_DEFAULT, LIST_MAX);
    return many(this.m.alerts.find(q).sort(sort).limit(limit).lean<D.AlertDoc[]>());
  }

  async markAlertsDelivered(ids: string[], at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.m.alerts.updateMany({ _id: mongoose.trusted({ $in: ids }) }, { $set: { deliveredAt: at } });
  }

  async insertTask(input: NewTask): Promise<{ inserted: boolean; row: Task }> {
    const { id, ...rest } = buildTask(input);
    const inserted = await insertUnlessDuplicate(this.m.tasks, { _id: id, ...rest, seq: nextSeq() });
    return { inserted, row: present(await one(this.m.tasks.findOne({ key: input.key }).lean<D.TaskDoc>()), 'task') };
  }

  async getTask(id: string): Promise<Task | null> {
    return one(this.m.tasks.findById(id).lean<D.TaskDoc>());
  }

  async listTasks(filter: { status?: TaskStatus; caseId?: string; limit?: number }): Promise<Task[]> {
    const q: Record<string, string> = {};
    if (filter.status) q.status = filter.status;
    if (filter.caseId) q.caseId = filter.caseId;
    const limit = clampLimit(filter.limit, LIST_DEFAULT, LIST_MAX);
    return many(this.m.tasks.find(q).sort({ createdAt: 1, seq: 1 }).limit(limit).lean<D.TaskDoc[]>());
  }

  async updateTask(id: string, patch: TaskPatch): Promise<Task | null> {
    const set = { ...pickDefined(patch, TASK_PATCH_KEYS), updatedAt: nowIso() };
    return one(this.m.tasks.findOneAndUpdate({ _id: id }, { $set: set }, AFTER).lean<D.TaskDoc>());
  }

  async getToken(key: string): Promise<PlatformToken | null> {
    return tokens.getToken(tokens.tokenModel(this.o.conn), key);
  }

  async saveToken(input: PlatformTokenWrite, expectedVersion: number): Promise<PlatformToken | null> {
    return tokens.saveToken(tokens.tokenModel(this.o.conn), input, expectedVersion);
  }

  async getSetting(key: string): Promise<string | null> {
    const doc = await this.m.settings.findById(key).lean<D.SettingDoc>();
    return doc ? doc.value : null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    // Two first-time writers can race on the upsert's insert; the loser's retry is a plain update.
    await retryOnDuplicate(() =>
      this.m.settings.updateOne({ _id: key }, { $set: { value, updatedAt: nowIso() } }, { upsert: true }),
    );
  }

  async caseStats(query: StatsQuery): Promise<StatsBucket[]> {
    return stats.caseStats(this.m.cases, query);
  }

  async listStatsCases(filter: StatsFilter & { limit?: number }): Promise<Case[]> {
    return stats.listStatsCases(this.m.cases, filter);
  }

  async listShowcase(filter: { from?: string; to?: string; limit?: number }): Promise<Case[]> {
    return stats.listShowcase(this.m.cases, filter);
  }

  async importCases(cases: Case[]): Promise<void> {
    await stats.importCases(this.m.cases, cases);
  }

  async createImprovement(input: NewImprovement): Promise<ImprovementItem> {
    return improvements.createImprovement(await improvements.improvementModel(this.o.conn), input);
  }

  async getImprovement(id: string): Promise<ImprovementItem | null> {
    return improvements.getImprovement(await improvements.improvementModel(this.o.conn), id);
  }

  async listImprovements(filter: ImprovementFilter): Promise<ImprovementItem[]> {
    return improvements.listImprovements(await improvements.improvementModel(this.o.conn), filter);
  }

  async updateImprovement(id: string, expectedVersion: number, patch: ImprovementPatch): Promise<ImprovementItem | null> {
    return improvements.updateImprovement(await improvements.improvementModel(this.o.conn), id, expectedVersion, patch);
  }
}
