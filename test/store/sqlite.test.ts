/** The conformance suite on a real SQLite file, plus what only SQLite has: migrations, WAL, the file itself. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create-store.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { casePageQuery } from '../../src/store/sqlite/case-query.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { describeStoreConformance } from './conformance.js';
import { inbound, newEvidence, seedConversation } from './suite/fixtures.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
let n = 0;

function openStore(name = `db-${(n += 1)}`): SqliteStore {
  return new SqliteStore({ file: path.join(dir, name, 'aftersales.db'), evidenceDir: path.join(dir, name, 'evidence') });
}

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describeStoreConformance('sqlite', async () => {
  const s = openStore();
  await s.init();
  return s;
});

describe('SqliteStore specifics', () => {
  it('applies migrations once: init twice and a second process-like open record each version once', async () => {
    const a = openStore('migrations');
    await a.init();
    await a.init();
    const b = openStore('migrations');
    await b.init();
    const rows = b.database.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    await a.close();
    await b.close();
  });

  it('migration 2 rewrites case customer ids to the channel user id and keeps rows that point at cases', async () => {
    const s = openStore('v1-to-v2');
    await s.init();
    const db = s.database;
    // Rebuild the v1 shape: undo migration 2 and the later ones that change cases (3, 4, 10), then store a case
    // the v1 way (customers.id).
    db.exec('DROP TABLE cases; DROP TABLE alerts; DROP TABLE tasks; DELETE FROM schema_migrations WHERE version IN (2, 3, 4, 10);');
    const v1 = MIGRATIONS[0]?.sql ?? '';
    const casesDdl = v1.slice(v1.indexOf('CREATE TABLE cases'), v1.indexOf('CREATE TABLE outbox'));
    db.exec(casesDdl);
    const { customer, conversation } = await seedConversation(s);
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO cases VALUES ('case-1', 'web', ?, ?, 'quality', NULL, NULL, '[]', NULL, 'open', 2, 0, NULL, NULL, 0, '{}', 1, ?, ?)`,
    ).run(customer.id, conversation.id, now, now);
    await s.addCaseEvent({ caseId: 'case-1', type: 'created', actor: 'bot', data: {} });
    await s.close();

    const again = openStore('v1-to-v2');
    await again.init();
    const c = await again.getCase('case-1');
    expect(c?.customerId).toBe(customer.platformUserId);
    expect((await again.listCases({ customerId: customer.platformUserId })).items.map((x) => x.id)).toEqual(['case-1']);
    expect((await again.listCaseEvents('case-1')).map((e) => e.type)).toEqual(['created']);
    expect(again.database.pragma('foreign_key_check')).toEqual([]);
    await again.close();
  });

  it('checkpoints the WAL in a worker thread, not in the commits of the event loop', async () => {
    const s = openStore('checkpoint');
    await s.init();
    expect(s.database.pragma('wal_autocheckpoint', { simple: true })).toBe(10000);
    const file = path.join(dir, 'checkpoint', 'aftersales.db');
    const before = fs.statSync(file).size;
    const { conversation } = await seedConversation(s);
    await Promise.all(Array.from({ length: 300 }, () => s.insertInbound(conversation.id, inbound())));
    // 300 rows stay far below the main connection's threshold: only the worker can have moved them in.
    await waitForFile(() => fs.statSync(file).size > before);
    expect((await s.listPendingInbound(conversation.id, 500)).length).toBe(300);
    await s.close();
  });

  it("lists a customer's cases on one channel through the composite index", async () => {
    const s = openStore();
    await s.init();
    const { sql, params } = casePageQuery({ customerId: 'u1', channel: 'wecom', limit: 20 });
    const plan = s.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toContain('cases_customer_channel');
    await s.close();
  });

  it('runs in WAL mode with foreign keys, busy timeout and synchronous=NORMAL', async () => {
    const s = openStore();
    await s.init();
    expect(s.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.database.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.database.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(s.database.pragma('synchronous', { simple: true })).toBe(1);
    await s.close();
  });

  it('keeps data and evidence bytes when the file is reopened', async () => {
    const first = openStore('reopen');
    await first.init();
    const { conversation } = await seedConversation(first);
    const msg = inbound();
    await first.insertInbound(conversation.id, msg);
    await first.setSetting('marker', 'kept');
    const bytes = Buffer.from('photo bytes');
    const e = await first.addEvidence(newEvidence(conversation.id, bytes, { mime: 'image/png', source: null }), bytes);
    await first.close();

    const second = openStore('reopen');
    await second.init();
    expect(await second.getSetting('marker')).toBe('kept');
    expect((await second.findInbound('wecom', msg.platformMsgId))?.message).toEqual(msg);
    expect(await second.getConversation(conversation.id)).toEqual(conversation);
    expect((await second.readEvidence(e.id))?.equals(bytes)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'reopen', 'evidence', e.sha256.slice(0, 2), e.id))).toBe(true);
    await second.close();
  });

  it('enforces foreign keys: an inbound row needs its conversation', async () => {
    const s = openStore();
    await s.init();
    await expect(s.insertInbound('no-such-conversation', inbound())).rejects.toThrow(/FOREIGN KEY/);
    await s.close();
  });

  it('reads an inbox row stored before the rename with its user id as platformUserId', async () => {
    const s = openStore();
    await s.init();
    const { conversation } = await seedConversation(s);
    const { row } = await s.insertInbound(conversation.id, inbound({ platformUserId: 'wmOLD' }));
    const { platformUserId, ...rest } = row.message;
    s.database.prepare('UPDATE inbox SET message = ? WHERE id = ?').run(JSON.stringify({ ...rest, customerId: platformUserId }), row.id);
    const [pending] = await s.listPendingInbound(conversation.id, 10);
    expect(pending?.message).toEqual(row.message);
    expect(pending?.message).not.toHaveProperty('customerId');
    await s.close();
  });

  it('refuses use before init and after close with a clear error', async () => {
    const s = openStore();
    await expect(s.getSetting('x')).rejects.toThrow(/before init/);
    await s.init();
    await s.close();
    await expect(s.ping()).rejects.toThrow(/before init\(\) or after close\(\)/);
  });

  it('createStore builds a SQLite store under dataDir', async () => {
    const dataDir = path.join(dir, 'created', 'nested');
    const s = createStore({ store: 'sqlite', dataDir, mongodbUri: null });
    expect(s.kind).toBe('sqlite');
    await s.init();
    expect(fs.existsSync(path.join(dataDir, 'aftersales.db'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'evidence'))).toBe(true);
    await s.close();
    expect(() => createStore({ store: 'mongo', dataDir, mongodbUri: null })).toThrow(/MONGODB_URI/);
  });
});

async function waitForFile(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(check()).toBe(true);
}
