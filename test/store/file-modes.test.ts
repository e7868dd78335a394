/** The SQLite database (with its WAL) and evidence photos are created readable by the owner only (0600). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/store/sqlite/evidence-files.js';
import { Sql } from '../../src/store/sqlite/sql.js';

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

describe('file modes', () => {
  it('creates the database, its WAL and evidence files 0600 whatever the umask', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-modes-'));
    const old = process.umask(0o022);
    try {
      const sql = new Sql(path.join(dir, 'store.db'));
      sql.db.exec('CREATE TABLE t (x)');
      sql.db.exec('INSERT INTO t VALUES (1)');
      expect(mode(path.join(dir, 'store.db'))).toBe(0o600);
      expect(mode(path.join(dir, 'store.db-wal'))).toBe(0o600);
      sql.db.close();
      const photo = path.join(dir, 'ev', 'ab', 'photo-1');
      await writeFileAtomic(photo, Buffer.from('png'));
      expect(mode(photo)).toBe(0o600);
    } finally {
      process.umask(old);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
