/** Opens the adapter's own connection (never Mongoose's global one), with its models and GridFS bucket. */
import mongoose from 'mongoose';
import type { Connection, mongo } from 'mongoose';
import { registerModels } from './models.js';
import type { Models } from './models.js';

export interface MongoStoreOptions {
  uri: string;
  /** Overrides the database named in the URI (tests use a fresh one per run). */
  dbName?: string;
  /** How long to wait for a reachable server before failing; default 10 s. */
  serverSelectionTimeoutMS?: number;
}

export interface Opened {
  conn: Connection;
  db: mongo.Db;
  models: Models;
  bucket: mongo.GridFSBucket;
}

export async function openConnection(options: MongoStoreOptions): Promise<Opened> {
  const conn = mongoose.createConnection(options.uri, {
    ...(options.dbName ? { dbName: options.dbName } : {}),
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    // Indexes are built by init(), not in the background when a model is compiled.
    autoIndex: false,
    autoCreate: false,
    // Commands fail at once instead of queueing while disconnected, so callers see the outage.
    bufferCommands: false,
    // Filter values that are objects with $-keys are wrapped in $eq unless marked with mongoose.trusted(),
    // so a username like {"$ne": null} from a request body cannot become a query operator.
    sanitizeFilter: true,
  });
  try {
    await conn.asPromise();
  } catch (err) {
    await conn.close(true).catch(() => undefined);
    throw err;
  }
  const db = conn.db;
  if (!db) {
    await conn.close(true);
    throw new Error('MongoDB connection opened without a database handle');
  }
  return {
    conn,
    db,
    models: registerModels(conn),
    bucket: new mongoose.mongo.GridFSBucket(db, { bucketName: 'evidence' }),
  };
}
