/** Picks the Store adapter from configuration: SQLite under DATA_DIR by default, MongoDB when asked for. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MongoStore } from './mongo/mongo-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export interface CreateStoreOptions {
  store: 'sqlite' | 'mongo';
  /** SQLite keeps `aftersales.db` and `evidence/` here. */
  dataDir: string;
  mongodbUri: string | null;
}

/** Builds the adapter; call `init()` on the result before use. */
export function createStore(config: CreateStoreOptions): Store {
  if (config.store === 'mongo') {
    if (!config.mongodbUri) throw new Error('STORE=mongo needs MONGODB_URI (mongodb:// or mongodb+srv://)');
    return new MongoStore({ uri: config.mongodbUri });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteStore({
    file: path.join(config.dataDir, 'aftersales.db'),
    evidenceDir: path.join(config.dataDir, 'evidence'),
  });
}
