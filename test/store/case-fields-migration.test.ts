/**
 * SQLite migration 10 on a real file written at version 9: the SLA state and the execution steps move out of
 * `data` into their own columns, malformed values stay where they were, and the dashboard's breach count is
 * derived from the new column through the re-created covering index.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-m10-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const AT = '2026-03-02T00:00:00.000Z';
const SLA = {
  firstResponseDue: '2026-03-02T00:15:00.000Z',
  nextResponseDue: null,
  resolutionDue: '2026-03-03T00:00:00.000Z',
  decisionDue: null,
  breaches: [{ type: 'first', at: '2026-03-02T00:15:00.000Z', anchor: AT, agent: 'user-1' }],
};
const STEPS = [{ kind: 'return_address', key: 'c1', at: AT, by: 'user-1', address: '杭州市余杭区某路 1 号' }];

/** A database file exactly as version 9 left it, with three cases in the old shape. */
function writeVersion9(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  migrate(db, MIGRATIONS.filter((m) => m.version < 10));
  db.prepare(`INSERT INTO customers VALUES ('cu1', 'wecom', 'wmU1', NULL, NULL, ?, ?)`).run(AT, AT);
  db.prepare(`INSERT INTO conversations VALUES ('cv1', 'wecom', 'wk:wmU1', 'cu1', 'human', '{}', '{}', NULL, 0, 1, ?, ?)`).run(AT, AT);
  const insert = db.prepare(
    `INSERT INTO cases (id, channel, customer_id, conversation_id, category, order_id, description, evidence, resolution, status,
       priority, risk, assignee, csat, reopen_count, data, version, created_at, updated_at)
     VALUES (?, 'wecom', 'wmU1', 'cv1', 'quality', NULL, NULL, '[]', NULL, ?, 2, 0, NULL, NULL, 0, ?, 3, ?, ?)`,
  );
  insert.run('with-both', 'executing', JSON.stringify({ escalatedAt: AT, sla: SLA, steps: STEPS }), AT, AT);
  insert.run('plain', 'resolved', JSON.stringify({ resolvedAt: AT }), AT, AT);
  insert.run('malformed', 'resolved', JSON.stringify({ sla: 'soon', steps: { kind: 'x' } }), AT, AT);
  db.close();
}

describe('SQLite migration 10: case sla and steps columns', () => {
  it('moves data.sla and data.steps into typed fields, keeps the rest, and counts breaches from the new column', async () => {
    const file = path.join(dir, 'v9', 'aftersales.db');
    writeVersion9(file);
    const s = new SqliteStore({ file, evidenceDir: path.join(dir, 'v9', 'evidence') });
    await s.init();

    const both = await s.getCase('with-both');
    expect(both).toMatchObject({ sla: SLA, steps: STEPS, data: { escalatedAt: AT }, version: 3 });
    expect(both?.data).toEqual({ escalatedAt: AT });
    expect(await s.getCase('plain')).toMatchObject({ sla: null, steps: [], data: { resolvedAt: AT } });
    // Not an SLA object nor a steps array: nothing to type, and nothing is thrown away.
    expect(await s.getCase('malformed')).toMatchObject({ sla: null, steps: [], data: { sla: 'soon', steps: { kind: 'x' } } });

    const derived = s.database.prepare('SELECT id, st_sla_breaches AS n FROM cases ORDER BY id').all();
    expect(derived).toEqual([
      { id: 'malformed', n: null },
      { id: 'plain', n: null },
      { id: 'with-both', n: 1 },
    ]);
    const [total] = await s.caseStats({ from: AT, to: '2026-03-03T00:00:00.000Z' });
    expect(total).toMatchObject({ cases: 3, slaSettled: 1, slaMet: 0 });
    const stats = 'SELECT TOTAL(st_sla_breaches) FROM cases INDEXED BY cases_stats WHERE created_at >= ?';
    const plan = s.database.prepare(`EXPLAIN QUERY PLAN ${stats}`).all(AT) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toContain('USING INDEX cases_stats (created_at>?)');
    expect(s.database.prepare('SELECT version FROM schema_migrations WHERE version = 10').get()).toEqual({ version: 10 });
    await s.close();
  });
});
