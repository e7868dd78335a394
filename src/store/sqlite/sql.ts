/**
 * A thin layer over one better-sqlite3 connection: cached prepared statements and the two write shapes the
 * store needs (insert, optionally ignoring a unique conflict; update … RETURNING with an optional version check).
 * Column names always come from this code, never from callers, so building SQL from them is safe.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Columns } from './columns.js';
import type { SqlValue } from './rows.js';

type Params = SqlValue[] | [Record<string, SqlValue>];

export class Sql {
  readonly db: Database.Database;
  private readonly cache = new Map<string, Database.Statement>();

  constructor(file: string) {
    // Owner-only (0600): SQLite gives its -wal and -shm files the database file's mode
    // (https://www.sqlite.org/tempfiles.html, unixOpen's robust_open copies the db's permissions).
    if (file !== ':memory:') {
      fs.closeSync(fs.openSync(file, 'a', 0o600));
      fs.chmodSync(file, 0o600);
    }
    this.db = new Database(file);
    // Busy timeout first: switching to WAL takes a lock another process may hold.
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('synchronous = NORMAL');
    // Checkpoints normally run in a worker thread (checkpointer.ts); this is only the safety net (~40 MB).
    this.db.pragma('wal_autocheckpoint = 10000');
  }

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      // Only filter shapes vary the SQL, so the cache stays small; the cap guards against odd callers.
      if (this.cache.size >= 500) this.cache.clear();
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  one<R>(sql: string, ...params: Params): R | undefined {
    return this.stmt(sql).get(...params) as R | undefined;
  }

  all<R>(sql: string, ...params: Params): R[] {
    return this.stmt(sql).all(...params) as R[];
  }

  /** One row mapped by `map`, or null. */
  get<R, T>(map: (r: R) => T, sql: string, ...params: Params): T | null {
    const r = this.one<R>(sql, ...params);
    return r === undefined ? null : map(r);
  }

  list<R, T>(map: (r: R) => T, sql: string, ...params: Params): T[] {
    return this.all<R>(sql, ...params).map((r) => map(r));
  }

  run(sql: string, ...params: Params): Database.RunResult {
    return this.stmt(sql).run(...params);
  }

  /** Returns whether a row was written; with `ignoreConflict` a unique clash writes nothing instead of throwing. */
  insert(table: string, cols: Columns, ignoreConflict = false): boolean {
    const names = Object.keys(cols);
    const sql =
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})` +
      (ignoreConflict ? ' ON CONFLICT DO NOTHING' : '');
    return this.run(sql, cols).changes === 1;
  }

  /**
   * `UPDATE table SET cols… WHERE keyColumn = ? [AND version = ?] RETURNING *`; with `expectedVersion` the
   * version is bumped in the same statement, so two writers with the same expectation cannot both succeed.
   */
  update<R, T>(
    map: (r: R) => T,
    table: string,
    key: [column: string, value: string],
    cols: Columns,
    expectedVersion?: number,
  ): T | null {
    const [keyColumn, keyValue] = key;
    const names = Object.keys(cols);
    const sets = names.map((n) => `${n} = @s_${n}`);
    const params: Record<string, SqlValue> = { w_key: keyValue };
    for (const n of names) params[`s_${n}`] = cols[n] ?? null;
    let where = `${keyColumn} = @w_key`;
    if (expectedVersion !== undefined) {
      sets.push('version = version + 1');
      where += ' AND version = @w_version';
      params.w_version = expectedVersion;
    }
    if (sets.length === 0) return this.get(map, `SELECT * FROM ${table} WHERE ${keyColumn} = ?`, keyValue);
    return this.get(map, `UPDATE ${table} SET ${sets.join(', ')} WHERE ${where} RETURNING *`, params);
  }

  close(): void {
    this.cache.clear();
    this.db.close();
  }
}

/** ` WHERE a = ? AND b = ?` for the pairs whose value is given (empty when none is). */
export function whereEqual(pairs: [column: string, value: SqlValue | undefined][]): { sql: string; params: SqlValue[] } {
  const given = pairs.filter((p): p is [string, SqlValue] => p[1] !== undefined);
  return {
    sql: given.length > 0 ? ` WHERE ${given.map(([c]) => `${c} = ?`).join(' AND ')}` : '',
    params: given.map(([, v]) => v),
  };
}
