/**
 * Numbered schema migrations, applied in order at init and recorded in `schema_migrations`.
 * Append new entries; never edit one that has shipped.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Rebuilds a table other tables point at (SQLite's 12-step ALTER): runs with foreign keys off, then checks
   * them before committing. The pragma cannot change inside a transaction, so it is set around it.
   */
  rebuildsTables?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  platform_user_id TEXT NOT NULL,
  nickname TEXT,
  member_level TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX customers_channel_user ON customers (channel, platform_user_id);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  key TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  mode TEXT NOT NULL,
  state TEXT NOT NULL,
  meta TEXT NOT NULL,
  last_customer_at INTEGER,
  replies_since_customer INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX conversations_channel_key ON conversations (channel, key);
CREATE INDEX conversations_customer ON conversations (customer_id);

CREATE TABLE inbox (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  platform_msg_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  sent_at INTEGER NOT NULL,
  from_author TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL,
  received_at TEXT NOT NULL,
  processed_at TEXT
);
CREATE UNIQUE INDEX inbox_channel_msg ON inbox (channel, platform_msg_id);
CREATE INDEX inbox_drain ON inbox (conversation_id, status, sent_at, platform_msg_id);
CREATE INDEX inbox_transcript ON inbox (conversation_id, sent_at, platform_msg_id);
CREATE INDEX inbox_pending ON inbox (conversation_id, sent_at) WHERE status = 'pending';

CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  category TEXT,
  order_id TEXT,
  description TEXT,
  evidence TEXT NOT NULL,
  resolution TEXT,
  status TEXT NOT NULL,
  priority INTEGER NOT NULL,
  risk INTEGER NOT NULL,
  assignee TEXT,
  csat INTEGER,
  reopen_count INTEGER NOT NULL,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX cases_created ON cases (created_at, id);
CREATE INDEX cases_status ON cases (status, created_at, id);
CREATE INDEX cases_customer ON cases (customer_id, created_at, id);
CREATE INDEX cases_conversation ON cases (conversation_id, created_at, id);
CREATE INDEX cases_category ON cases (category, created_at, id);
CREATE INDEX cases_channel ON cases (channel, created_at, id);
CREATE INDEX cases_assignee ON cases (assignee, created_at, id);
CREATE INDEX cases_order ON cases (order_id, created_at, id);

CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  channel TEXT NOT NULL,
  author TEXT NOT NULL,
  author_id TEXT,
  case_id TEXT REFERENCES cases (id),
  reply TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  error TEXT,
  platform_msg_id TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE UNIQUE INDEX outbox_key ON outbox (key);
CREATE INDEX outbox_conversation ON outbox (conversation_id, created_at);
CREATE INDEX outbox_status ON outbox (status, created_at);

CREATE TABLE evidence (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  case_id TEXT REFERENCES cases (id),
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  source TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX evidence_conversation ON evidence (conversation_id, created_at);
CREATE INDEX evidence_case ON evidence (case_id, created_at);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  skills TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  online INTEGER NOT NULL,
  wecom_user_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);

CREATE TABLE case_events (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases (id),
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'case customer is the channel user id; alerts; tasks',
    // The case API: Case.customerId is the channel's user id, not our customers.id. SQLite cannot drop a
    // foreign key in place, so the cases table is rebuilt.
    rebuildsTables: true,
    sql: `
CREATE TABLE cases_v2 (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  category TEXT,
  order_id TEXT,
  description TEXT,
  evidence TEXT NOT NULL,
  resolution TEXT,
  status TEXT NOT NULL,
  priority INTEGER NOT NULL,
  risk INTEGER NOT NULL,
  assignee TEXT,
  csat INTEGER,
  reopen_count INTEGER NOT NULL,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT INTO cases_v2 SELECT c.id, c.channel, COALESCE(u.platform_user_id, c.customer_id), c.conversation_id, c.category,
  c.order_id, c.description, c.evidence, c.resolution, c.status, c.priority, c.risk, c.assignee, c.csat, c.reopen_count,
  c.data, c.version, c.created_at, c.updated_at
  FROM cases c LEFT JOIN customers u ON u.id = c.customer_id;
DROP TABLE cases;
ALTER TABLE cases_v2 RENAME TO cases;
CREATE INDEX cases_created ON cases (created_at, id);
CREATE INDEX cases_status ON cases (status, created_at, id);
CREATE INDEX cases_customer ON cases (customer_id, created_at, id);
CREATE INDEX cases_conversation ON cases (conversation_id, created_at, id);
CREATE INDEX cases_category ON cases (category, created_at, id);
CREATE INDEX cases_channel ON cases (channel, created_at, id);
CREATE INDEX cases_assignee ON cases (assignee, created_at, id);
CREATE INDEX cases_order ON cases (order_id, created_at, id);

CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  level TEXT NOT NULL,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  case_id TEXT,
  data TEXT NOT NULL,
  delivered_at TEXT,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX alerts_key ON alerts (key);
CREATE INDEX alerts_created ON alerts (created_at, id);
CREATE INDEX alerts_undelivered ON alerts (created_at) WHERE delivered_at IS NULL;

CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  case_id TEXT,
  conversation_id TEXT,
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  assignee TEXT,
  data TEXT NOT NULL,
  done_by TEXT,
  done_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX tasks_key ON tasks (key);
CREATE INDEX tasks_status ON tasks (status, created_at, id);
CREATE INDEX tasks_case ON tasks (case_id, created_at);
`,
  },
  {
    version: 3,
    name: 'dashboard statistics: generated case columns and a covering index',
    // The dashboard aggregates fields that live in the `data` JSON. Virtual generated columns name them, and
    // one index on the period plus every aggregated value lets the stats queries read the index alone instead
    // of parsing 100 000 JSON documents (bench/dashboard.ts). The values are computed by SQLite on every write,
    // so no writer has to know about them. A later table rebuild must list columns, not `SELECT *`.
    sql: `
ALTER TABLE cases ADD COLUMN st_done INTEGER GENERATED ALWAYS AS (status IN ('resolved', 'closed')) VIRTUAL;
ALTER TABLE cases ADD COLUMN st_product TEXT GENERATED ALWAYS AS (json_extract(data, '$.order.productName')) VIRTUAL;
ALTER TABLE cases ADD COLUMN st_carrier TEXT GENERATED ALWAYS AS (json_extract(data, '$.carrier')) VIRTUAL;
ALTER TABLE cases ADD COLUMN st_escalated INTEGER GENERATED ALWAYS AS (
  coalesce(json_extract(data, '$.firstEscalatedAt'), json_extract(data, '$.escalatedAt')) IS NOT NULL) VIRTUAL;
ALTER TABLE cases ADD COLUMN st_frt_ms INTEGER GENERATED ALWAYS AS (CAST(round((
  julianday(json_extract(data, '$.firstResponseAt')) -
  julianday(coalesce(json_extract(data, '$.firstEscalatedAt'), json_extract(data, '$.escalatedAt'), created_at))
) * 86400000) AS INTEGER)) VIRTUAL;
ALTER TABLE cases ADD COLUMN st_resolve_ms INTEGER GENERATED ALWAYS AS (CASE WHEN status IN ('resolved', 'closed') THEN
  CAST(round((julianday(coalesce(json_extract(data, '$.resolvedAt'), json_extract(data, '$.closedAt'))) - julianday(created_at))
  * 86400000) AS INTEGER) END) VIRTUAL;
ALTER TABLE cases ADD COLUMN st_sla_breaches INTEGER GENERATED ALWAYS AS (CASE WHEN json_type(data, '$.sla') = 'object'
  THEN coalesce(json_array_length(data, '$.sla.breaches'), 0) END) VIRTUAL;
ALTER TABLE cases ADD COLUMN st_showcase_at TEXT GENERATED ALWAYS AS (CASE WHEN json_extract(data, '$.showcase.consent') = 1
  AND csat >= 4 THEN json_extract(data, '$.showcase.at') END) VIRTUAL;
CREATE INDEX cases_stats ON cases (created_at, channel, category, st_done, csat, reopen_count, st_escalated, st_frt_ms,
  st_resolve_ms, st_sla_breaches, st_product, st_carrier);
CREATE INDEX cases_showcase ON cases (st_showcase_at, id) WHERE st_showcase_at IS NOT NULL;
`,
  },
  {
    version: 4,
    name: 'cases by customer on one channel',
    // The dialogue lists the customer's cases on their channel at every turn; with only single-column choices
    // SQLite scanned the whole channel (about 40 ms at 100,000 cases).
    sql: `CREATE INDEX cases_customer_channel ON cases (customer_id, channel, created_at, id);`,
  },
  {
    version: 5,
    name: 'why an inbox row failed',
    // A bot failure marks its row failed with an error code instead of leaving it pending for ever.
    sql: `ALTER TABLE inbox ADD COLUMN error TEXT;`,
  },
  {
    version: 6,
    name: 'platform tokens',
    // Douyin and 抖店 tokens expire (15 days / about a week): the refreshed token must outlive a restart.
    sql: `CREATE TABLE platform_tokens (
  key TEXT PRIMARY KEY,
  access_token TEXT NOT NULL,
  access_expires_at TEXT,
  refresh_token TEXT,
  refresh_expires_at TEXT,
  seed TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);`,
  },
  {
    version: 9,
    name: 'improvement items',
    // 改进单 (issue #19): cause, owner, promised action and due date; cases are linked by key, not stored.
    sql: `CREATE TABLE improvement_items (
  id TEXT PRIMARY KEY,
  dimension TEXT NOT NULL,
  key TEXT NOT NULL,
  cause TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  action TEXT NOT NULL,
  due_date TEXT NOT NULL,
  source TEXT NOT NULL,
  source_case_id TEXT,
  status TEXT NOT NULL,
  created_by TEXT NOT NULL,
  done_at TEXT,
  done_by TEXT,
  closed_at TEXT,
  closed_by TEXT,
  reopen_count INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX improvement_items_owner ON improvement_items (owner_id, created_at);
CREATE INDEX improvement_items_status ON improvement_items (status, created_at);
CREATE INDEX improvement_items_key ON improvement_items (dimension, key, created_at);`,
  },
  {
    version: 10,
    name: 'case sla and steps columns',
    // Issue #14: the SLA state and the execution timeline are typed fields of the case, not keys of `data`.
    // Existing values move out of `data` (only well-formed ones: an sla object, a steps array; anything else
    // stays where it was). st_sla_breaches is re-derived from the new column; SQLite cannot change a generated
    // column's expression, and cannot drop an indexed column, so cases_stats is dropped and re-created as in
    // migration 3 (https://www.sqlite.org/lang_altertable.html#altertabdropcol).
    sql: `
DROP INDEX cases_stats;
ALTER TABLE cases DROP COLUMN st_sla_breaches;
ALTER TABLE cases ADD COLUMN sla TEXT;
ALTER TABLE cases ADD COLUMN steps TEXT NOT NULL DEFAULT '[]';
UPDATE cases SET sla = json_extract(data, '$.sla'), data = json_remove(data, '$.sla') WHERE json_type(data, '$.sla') = 'object';
UPDATE cases SET steps = json_extract(data, '$.steps'), data = json_remove(data, '$.steps') WHERE json_type(data, '$.steps') = 'array';
ALTER TABLE cases ADD COLUMN st_sla_breaches INTEGER GENERATED ALWAYS AS (CASE WHEN json_type(sla) = 'object'
  THEN coalesce(json_array_length(sla, '$.breaches'), 0) END) VIRTUAL;
CREATE INDEX cases_stats ON cases (created_at, channel, category, st_done, csat, reopen_count, st_escalated, st_frt_ms,
  st_resolve_ms, st_sla_breaches, st_product, st_carrier);
`,
  },
  {
    version: 11,
    name: 'conversations awaiting a replay',
    // 交还机器人 marks the messages nobody answered for the bot (meta.replay, src/pipeline/replay.ts); a marker whose
    // trigger was lost (Redis away at that moment) is found again by the reconciler through this small index.
    sql: `
ALTER TABLE conversations ADD COLUMN st_replay INTEGER GENERATED ALWAYS AS (json_type(meta, '$.replay') IS NOT NULL) VIRTUAL;
CREATE INDEX conversations_replay ON conversations (updated_at) WHERE st_replay = 1;
`,
  },
];

/** Applies every migration newer than the recorded ones, each in its own transaction. Returns how many ran. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((r) => r.version),
  );
  const record = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  let ran = 0;
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    const fkWasOn = db.pragma('foreign_keys', { simple: true }) === 1;
    if (m.rebuildsTables && fkWasOn) db.pragma('foreign_keys = OFF');
    try {
      // IMMEDIATE takes the write lock first, so two processes starting together do not both apply it.
      db.transaction(() => {
        const again = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
        if (again.get(m.version)) return;
        db.exec(m.sql);
        if (m.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`migration ${m.version} (${m.name}) would break ${broken.length} foreign keys`);
        }
        record.run(m.version, m.name, new Date().toISOString());
        ran += 1;
      }).immediate();
    } finally {
      if (m.rebuildsTables && fkWasOn) db.pragma('foreign_keys = ON');
    }
  }
  return ran;
}
