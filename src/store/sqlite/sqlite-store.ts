/**
 * The default Store: one SQLite file in WAL mode plus evidence files on disk. better-sqlite3 is synchronous, so
 * each method runs to completion before the next starts; uniqueness still rests on the unique indexes, which
 * also hold against other processes sharing the file.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Case, Channel, InboundMessage } from '../../core/types.js';
import {
  buildAlert, buildCase, buildCaseEvent, buildConversation, buildCustomer, buildEvidence, buildInbox, buildOutbox, buildTask, buildUser,
  nowIso, present, processedAtFor, usernameTaken,
} from '../builders.js';
import { clampLimit, encodeCaseCursor, LIST_DEFAULT, LIST_MAX } from '../paging.js';
import type {
  Alert, NewAlert, NewTask, Task, TaskPatch, TaskStatus,
  CaseEvent, CaseFilter, CasePatch, ConsoleUser, ConsoleUserPatch, Conversation, ConversationPatch, Customer,
  Evidence, InboxRow, InboxStatus, NewCase, NewConsoleUser, NewEvidence, NewOutbox, OutboxRow, OutboxStatus,
  OutboxUpdate, Page, Store,
} from '../types.js';
import { casePageQuery } from './case-query.js';
import { DIGIT_SEPARATORS, digitQuery } from '../digits.js';
import * as col from './columns.js';
import { evidencePath, readFileIfExists, removeFile, writeFileAtomic } from './evidence-files.js';
import { Checkpointer } from './checkpointer.js';
import { migrate } from './migrations.js';
import * as row from './rows.js';
import { Sql, whereEqual } from './sql.js';
import * as stats from './stats.js';
import type { PlatformToken, PlatformTokenWrite, StatsBucket, StatsFilter, StatsQuery } from '../types.js';
import * as tokens from './tokens.js';
import * as improvements from './improvements.js';
import type { ImprovementFilter, ImprovementItem, ImprovementPatch, NewImprovement } from '../types.js';

interface InboxWaiter {
  cols: col.Columns;
  settle: (outcome: boolean | Error) => void;
}

export interface SqliteStoreOptions {
  /** Database file; its folder is created if missing. */
  file: string;
  /** Folder for evidence bytes. */
  evidenceDir: string;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private sql: Sql | null = null;
  private checkpointer: Checkpointer | null = null;
  /** Inbox inserts waiting for the next group commit (see insertInbound). */
  private inboxGroup: InboxWaiter[] | undefined;

  constructor(private readonly options: SqliteStoreOptions) {}

  private get q(): Sql {
    if (!this.sql) throw new Error('SqliteStore used before init() or after close()');
    return this.sql;
  }

  /** The open connection, for tests and maintenance (pragma checks, backups). */
  get database(): Database.Database {
    return this.q.db;
  }

  async init(): Promise<void> {
    if (!this.sql) {
      mkdirSync(path.dirname(path.resolve(this.options.file)), { recursive: true });
      mkdirSync(this.options.evidenceDir, { recursive: true });
      this.sql = new Sql(this.options.file);
      this.checkpointer = Checkpointer.start(this.options.file);
    }
    migrate(this.sql.db);
  }

  async close(): Promise<void> {
    const checkpointer = this.checkpointer;
    this.checkpointer = null;
    await checkpointer?.stop();
    this.sql?.close();
    this.sql = null;
  }

  async ping(): Promise<void> {
    this.q.one('SELECT 1');
  }

  async upsertCustomer(input: { channel: Channel; platformUserId: string; nickname?: string | null }): Promise<Customer> {
    const q = this.q;
    q.insert('customers', col.customerColumns(buildCustomer(input)), true);
    if (input.nickname !== undefined && input.nickname !== null) {
      q.run(
        `UPDATE customers SET nickname = ?, updated_at = ?
         WHERE channel = ? AND platform_user_id = ? AND (nickname IS NULL OR nickname <> ?)`,
        input.nickname,
        nowIso(),
        input.channel,
        input.platformUserId,
        input.nickname,
      );
    }
    const found = q.get(
      row.toCustomer,
      'SELECT * FROM customers WHERE channel = ? AND platform_user_id = ?',
      input.channel,
      input.platformUserId,
    );
    return present(found, 'customer');
  }

  async getCustomer(id: string): Promise<Customer | null> {
    return this.q.get(row.toCustomer, 'SELECT * FROM customers WHERE id = ?', id);
  }

  async updateCustomer(id: string, patch: Partial<Pick<Customer, 'nickname' | 'memberLevel'>>): Promise<Customer | null> {
    const cols = { ...col.customerPatchColumns(patch), updated_at: nowIso() };
    return this.q.update(row.toCustomer, 'customers', ['id', id], cols);
  }

  async getOrCreateConversation(input: Parameters<Store['getOrCreateConversation']>[0]): Promise<Conversation> {
    this.q.insert('conversations', col.conversationColumns(buildConversation(input)), true);
    return present(await this.findConversation(input.channel, input.key), 'conversation');
  }

  async getConversation(id: string): Promise<Conversation | null> {
    return this.q.get(row.toConversation, 'SELECT * FROM conversations WHERE id = ?', id);
  }

  async findConversation(channel: Channel, key: string): Promise<Conversation | null> {
    return this.q.get(row.toConversation, 'SELECT * FROM conversations WHERE channel = ? AND key = ?', channel, key);
  }

  async updateConversation(id: string, expectedVersion: number, patch: ConversationPatch): Promise<Conversation | null> {
    const cols = { ...col.conversationPatchColumns(patch), updated_at: nowIso() };
    return this.q.update(row.toConversation, 'conversations', ['id', id], cols, expectedVersion);
  }

  async insertInbound(conversationId: string, message: InboundMessage): Promise<{ inserted: boolean; row: InboxRow }> {
    const built = buildInbox(conversationId, message);
    const cols = col.inboxColumns(built);
    // Group commit. The inserts asked for while one event-loop turn runs are written together in ONE
    // transaction at the start of the next turn (setImmediate), and every caller is answered only after that
    // COMMIT: a row is exactly as durable as before when its promise resolves, but the WAL gets one commit
    // (and index pages shared by the group) instead of one per message, so writes and checkpoints drop.
    // A row that fails (foreign key) fails alone; if the transaction itself fails, the group is redone one
    // insert at a time so that every caller still gets its own outcome.
    const q = this.q;
    const outcome = await new Promise<boolean | Error>((settle) => {
      if (this.inboxGroup) {
        this.inboxGroup.push({ cols, settle });
        return;
      }
      const group: InboxWaiter[] = [{ cols, settle }];
      this.inboxGroup = group;
      setImmediate(() => {
        this.inboxGroup = undefined;
        const insertOne = (w: InboxWaiter, inGroup: boolean): boolean | Error => {
          try {
            return q.insert('inbox', w.cols, true);
          } catch (err) {
            // An error that ended the transaction (disk full, I/O) undid the rows before it: redo them alone.
            if (inGroup && !q.db.inTransaction) throw err;
            return err instanceof Error ? err : new Error(String(err));
          }
        };
        let outcomes: (boolean | Error)[];
        try {
          outcomes = q.db.transaction(() => group.map((w) => insertOne(w, true))).immediate();
        } catch {
          outcomes = group.map((w) => insertOne(w, false));
        }
        group.forEach((w, i) => w.settle(outcomes[i] ?? new Error('inbox insert lost its outcome')));
      });
    });
    if (outcome instanceof Error) throw outcome;
    // A fresh insert wrote exactly `cols`: answer from memory instead of reading the row back. The message is
    // parsed from the stored JSON so the caller gets the same value (and no alias of its input) as a read would.
    if (outcome) return { inserted: true, row: { ...built, message: JSON.parse(cols.message as string) as InboundMessage } };
    return { inserted: false, row: present(await this.findInbound(message.channel, message.platformMsgId), 'inbound row') };
  }

  async listPendingInbound(conversationId: string, limit: number): Promise<InboxRow[]> {
    const sql = `SELECT * FROM inbox WHERE conversation_id = ? AND status = 'pending'
      ORDER BY sent_at, platform_msg_id LIMIT ?`;
    return this.q.list(row.toInbox, sql, conversationId, clampLimit(limit, LIST_DEFAULT, LIST_MAX));
  }

  async setInboundStatus(id: string, status: InboxStatus, error?: string): Promise<void> {
    const why = status === 'failed' ? (error ?? null) : null;
    this.q.run('UPDATE inbox SET status = ?, processed_at = ?, error = ? WHERE id = ?', status, processedAtFor(status, nowIso()), why, id);
  }

  async findInbound(channel: Channel, platformMsgId: string): Promise<InboxRow | null> {
    const sql = 'SELECT * FROM inbox WHERE channel = ? AND platform_msg_id = ?';
    return this.q.get(row.toInbox, sql, channel, platformMsgId);
  }

  async listConversationsWithPending(limit: number): Promise<string[]> {
    return this.q
      .all<{ conversation_id: string }>(
        `SELECT conversation_id, MIN(sent_at) AS first FROM inbox WHERE status = 'pending'
         GROUP BY conversation_id ORDER BY first, conversation_id LIMIT ?`,
        clampLimit(limit, LIST_DEFAULT, LIST_MAX),
      )
      .map((r) => r.conversation_id);
  }

  async listConversationsWithReplay(limit: number): Promise<string[]> {
    return this.q
      .all<{ id: string }>('SELECT id FROM conversations WHERE st_replay = 1 ORDER BY updated_at, id LIMIT ?', clampLimit(limit, LIST_DEFAULT, LIST_MAX))
      .map((r) => r.id);
  }

  async findConversationsByDigits(digits: string, limit?: number): Promise<string[]> {
    const q = digitQuery(digits, limit);
    // A scan of the customers' words with the separators taken out: no index holds message text.
    let text = "json_extract(message, '$.text')";
    for (const sep of DIGIT_SEPARATORS) text = `replace(${text}, '${sep}', '')`;
    const sql = `SELECT conversation_id AS id FROM inbox WHERE from_author = 'customer' AND instr(${text}, ?) > 0 GROUP BY conversation_id ORDER BY max(sent_at) DESC LIMIT ?`;
    return this.q.all<{ id: string }>(sql, q.digits, q.limit).map((r) => r.id);
  }

  async listInbound(conversationId: string, limit: number): Promise<InboxRow[]> {
    const sql = 'SELECT * FROM inbox WHERE conversation_id = ? ORDER BY sent_at, platform_msg_id LIMIT ?';
    return this.q.list(row.toInbox, sql, conversationId, clampLimit(limit, LIST_DEFAULT, LIST_MAX));
  }

  async insertOutbound(input: NewOutbox): Promise<{ inserted: boolean; row: OutboxRow }> {
    const inserted = this.q.insert('outbox', col.outboxColumns(buildOutbox(input)), true);
    return { inserted, row: present(await this.getOutbound(input.key), 'outbound row') };
  }

  async getOutbound(key: string): Promise<OutboxRow | null> {
    return this.q.get(row.toOutbox, 'SELECT * FROM outbox WHERE key = ?', key);
  }

  async updateOutbound(key: string, update: OutboxUpdate): Promise<OutboxRow | null> {
    return this.q.update(row.toOutbox, 'outbox', ['key', key], col.outboxUpdateColumns(update));
  }

  async listOutbound(filter: { conversationId?: string; status?: OutboxStatus; limit?: number }): Promise<OutboxRow[]> {
    const w = whereEqual([
      ['conversation_id', filter.conversationId],
      ['status', filter.status],
    ]);
    const limit = clampLimit(filter.limit, LIST_DEFAULT, LIST_MAX);
    const sql = `SELECT * FROM outbox${w.sql} ORDER BY created_at, rowid LIMIT ?`;
    return this.q.list(row.toOutbox, sql, ...w.params, limit);
  }

  async createCase(input: NewCase): Promise<Case> {
    const c = buildCase(input);
    this.q.insert('cases', col.caseInsertColumns(c));
    return present(await this.getCase(c.id), 'case');
  }

  async getCase(id: string): Promise<Case | null> {
    return this.q.get(row.toCase, 'SELECT * FROM cases WHERE id = ?', id);
  }

  async updateCase(id: string, expectedVersion: number, patch: CasePatch): Promise<Case | null> {
    const cols = { ...row.caseColumns(patch), updated_at: nowIso() };
    return this.q.update(row.toCase, 'cases', ['id', id], cols, expectedVersion);
  }

  async listCases(filter: CaseFilter): Promise<Page<Case>> {
    const { sql, params, limit } = casePageQuery(filter);
    const rows = this.q.all<row.CaseCols>(sql, ...params);
    const items = rows.slice(0, limit).map(row.toCase);
    const last = items[items.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCaseCursor(last) : null;
    return { items, nextCursor };
  }

  async addEvidence(input: NewEvidence, bytes: Buffer): Promise<Evidence> {
    const e = buildEvidence(input, bytes);
    const file = evidencePath(this.options.evidenceDir, e.sha256, e.id);
    // Bytes first: a metadata row must never point at a file that is not there.
    await writeFileAtomic(file, bytes);
    try {
      this.q.insert('evidence', col.evidenceColumns(e));
    } catch (err) {
      await removeFile(file);
      throw err;
    }
    return present(await this.getEvidence(e.id), 'evidence');
  }

  async getEvidence(id: string): Promise<Evidence | null> {
    return this.q.get(row.toEvidence, 'SELECT * FROM evidence WHERE id = ?', id);
  }

  async readEvidence(id: string): Promise<Buffer | null> {
    const e = await this.getEvidence(id);
    if (!e) return null;
    return readFileIfExists(evidencePath(this.options.evidenceDir, e.sha256, e.id));
  }

  async listEvidence(filter: { conversationId?: string; caseId?: string }): Promise<Evidence[]> {
    const w = whereEqual([
      ['conversation_id', filter.conversationId],
      ['case_id', filter.caseId],
    ]);
    const sql = `SELECT * FROM evidence${w.sql} ORDER BY created_at, rowid`;
    return this.q.list(row.toEvidence, sql, ...w.params);
  }

  async linkEvidence(ids: string[], caseId: string): Promise<void> {
    if (ids.length === 0) return;
    const marks = ids.map(() => '?').join(', ');
    this.q.run(`UPDATE evidence SET case_id = ? WHERE id IN (${marks})`, caseId, ...ids);
  }

  async createUser(input: NewConsoleUser): Promise<ConsoleUser> {
    const u = buildUser(input);
    if (!this.q.insert('users', col.userColumns(u), true)) throw usernameTaken(input.username);
    return present(await this.getUser(u.id), 'user');
  }

  async getUser(id: string): Promise<ConsoleUser | null> {
    return this.q.get(row.toUser, 'SELECT * FROM users WHERE id = ?', id);
  }

  async getUserByName(username: string): Promise<ConsoleUser | null> {
    return this.q.get(row.toUser, 'SELECT * FROM users WHERE username = ?', username);
  }

  async listUsers(): Promise<ConsoleUser[]> {
    return this.q.list(row.toUser, 'SELECT * FROM users ORDER BY username');
  }

  async updateUser(id: string, patch: ConsoleUserPatch): Promise<ConsoleUser | null> {
    const cols = { ...col.userPatchColumns(patch), updated_at: nowIso() };
    return this.q.update(row.toUser, 'users', ['id', id], cols);
  }

  async addCaseEvent(input: Omit<CaseEvent, 'id' | 'at'> & { at?: string }): Promise<CaseEvent> {
    const e = buildCaseEvent(input);
    this.q.insert('case_events', col.caseEventColumns(e));
    return e;
  }

  async listCaseEvents(caseId: string): Promise<CaseEvent[]> {
    return this.q.list(row.toCaseEvent, 'SELECT * FROM case_events WHERE case_id = ? ORDER BY at, rowid', caseId);
  }

  async insertAlert(input: NewAlert): Promise<{ inserted: boolean; row: Alert }> {
    const inserted = this.q.insert('alerts', col.alertColumns(buildAlert(input)), true);
    return { inserted, row: present(this.q.get(row.toAlert, 'SELECT * FROM alerts WHERE key = ?', input.key), 'alert') };
  }

  async listAlerts(filter: { limit?: number; before?: string; undelivered?: boolean; kind?: string }): Promise<Alert[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.undelivered) where.push('delivered_at IS NULL');
    if (filter.before) {
      where.push('created_at < ?');
      params.push(filter.before);
    }
    if (filter.kind) {
      where.push('kind = ?');
      params.push(filter.kind);
    }
    const order = filter.undelivered ? 'created_at, id' : 'created_at DESC, id DESC';
    const sql = `SELECT * FROM alerts${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    return this.q.list(row.toAlert, sql, ...params, clampLimit(filter.limit, LIST_DEFAULT, LIST_MAX));
  }

  async markAlertsDelivered(ids: string[], at: string): Promise<void> {
    if (ids.length === 0) return;
    this.q.run(`UPDATE alerts SET delivered_at = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, at, ...ids);
  }

  async insertTask(input: NewTask): Promise<{ inserted: boolean; row: Task }> {
    const inserted = this.q.insert('tasks', col.taskColumns(buildTask(input)), true);
    return { inserted, row: present(this.q.get(row.toTask, 'SELECT * FROM tasks WHERE key = ?', input.key), 'task') };
  }

  async getTask(id: string): Promise<Task | null> {
    return this.q.get(row.toTask, 'SELECT * FROM tasks WHERE id = ?', id);
  }

  async listTasks(filter: { status?: TaskStatus; caseId?: string; limit?: number }): Promise<Task[]> {
    const w = whereEqual([
      ['status', filter.status],
      ['case_id', filter.caseId],
    ]);
    const sql = `SELECT * FROM tasks${w.sql} ORDER BY created_at, id LIMIT ?`;
    return this.q.list(row.toTask, sql, ...w.params, clampLimit(filter.limit, LIST_DEFAULT, LIST_MAX));
  }

  async updateTask(id: string, patch: TaskPatch): Promise<Task | null> {
    const cols = { ...col.taskPatchColumns(patch), updated_at: nowIso() };
    return this.q.update(row.toTask, 'tasks', ['id', id], cols);
  }

  async getToken(key: string): Promise<PlatformToken | null> {
    return tokens.getToken(this.q, key);
  }

  async saveToken(input: PlatformTokenWrite, expectedVersion: number): Promise<PlatformToken | null> {
    return tokens.saveToken(this.q, input, expectedVersion);
  }

  async getSetting(key: string): Promise<string | null> {
    return this.q.one<{ value: string }>('SELECT value FROM settings WHERE key = ?', key)?.value ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.q.run(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      key,
      value,
      nowIso(),
    );
  }

  async caseStats(query: StatsQuery): Promise<StatsBucket[]> {
    return stats.caseStats(this.q, query);
  }

  async listStatsCases(filter: StatsFilter & { limit?: number }): Promise<Case[]> {
    return stats.listStatsCases(this.q, filter);
  }

  async listShowcase(filter: { from?: string; to?: string; limit?: number }): Promise<Case[]> {
    return stats.listShowcase(this.q, filter);
  }

  async importCases(cases: Case[]): Promise<void> {
    stats.importCases(this.q, cases);
  }

  async createImprovement(input: NewImprovement): Promise<ImprovementItem> {
    return improvements.createImprovement(this.q, input);
  }

  async getImprovement(id: string): Promise<ImprovementItem | null> {
    return improvements.getImprovement(this.q, id);
  }

  async listImprovements(filter: ImprovementFilter): Promise<ImprovementItem[]> {
    return improvements.listImprovements(this.q, filter);
  }

  async updateImprovement(id: string, expectedVersion: number, patch: ImprovementPatch): Promise<ImprovementItem | null> {
    return improvements.updateImprovement(this.q, id, expectedVersion, patch);
  }
}
