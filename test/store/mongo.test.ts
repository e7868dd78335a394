/**
 * The conformance suite on MongoDB, run by `npm run test:mongo` with MONGODB_URI set. Without it the suite is
 * skipped under a name that says why; the checks that need no server (fail fast, clear errors) always run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create-store.js';
import { MongoStore } from '../../src/store/mongo/mongo-store.js';
import type { Store } from '../../src/store/types.js';
import { describeStoreConformance } from './conformance.js';
import { newEvidence, seedConversation } from './suite/fixtures.js';

const uri = process.env.MONGODB_URI;
const REACH_MS = 3000;
/** Unique per run; each test adds its own suffix so it starts from an empty database. */
const runId = `as_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
let n = 0;

/** The URI without credentials, for messages. */
const safeUri = (u: string): string => u.replace(/\/\/[^@/]*@/, '//***@');

async function assertReachable(u: string): Promise<void> {
  const conn = mongoose.createConnection(u, { serverSelectionTimeoutMS: REACH_MS });
  try {
    await conn.asPromise();
    await conn.db?.admin().ping();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `MONGODB_URI is set (${safeUri(u)}) but MongoDB did not answer within ${REACH_MS / 1000} s: ${reason}. ` +
        'Start MongoDB or unset MONGODB_URI to skip these tests.',
      { cause: err },
    );
  } finally {
    await conn.close(true).catch(() => undefined);
  }
}

describe('MongoStore without a server', () => {
  it('init() fails fast with the driver error when nothing listens, instead of hanging', async () => {
    const s = new MongoStore({ uri: 'mongodb://127.0.0.1:9/', serverSelectionTimeoutMS: 300 });
    const started = Date.now();
    await expect(s.init()).rejects.toThrow(/ECONNREFUSED|Server selection timed out|connect/i);
    expect(Date.now() - started).toBeLessThan(REACH_MS);
    await expect(s.ping()).rejects.toThrow(/before init\(\) or after close\(\)/);
    await s.close();
  });

  it('createStore picks MongoDB when asked, without connecting yet', () => {
    const s = createStore({ store: 'mongo', dataDir: '/nonexistent-not-used', mongodbUri: 'mongodb://127.0.0.1:9/x' });
    expect(s.kind).toBe('mongo');
    expect(s).toBeInstanceOf(MongoStore);
  });
});

if (!uri) {
  describe.skip('MongoDB conformance skipped: MONGODB_URI is not set (no MongoDB reachable on this machine)', () => {
    it('runs the Store conformance suite against MongoDB', () => undefined);
  });
} else {
  const mongoUri = uri;
  const makeStore = async (): Promise<Store> => {
    const s = new MongoStore({ uri: mongoUri, dbName: `${runId}_${(n += 1)}`, serverSelectionTimeoutMS: REACH_MS });
    await s.init();
    return s;
  };
  const dropDatabase = async (s: Store): Promise<void> => {
    if (s instanceof MongoStore) await s.dropDatabase();
  };

  describe(`MongoDB at ${safeUri(mongoUri)}`, () => {
    beforeAll(() => assertReachable(mongoUri), REACH_MS + 5000);

    describeStoreConformance('mongo', makeStore, dropDatabase);

    describe('MongoStore specifics', () => {
      let s: MongoStore;
      beforeAll(async () => {
        s = (await makeStore()) as MongoStore;
      });
      afterAll(async () => {
        await s.dropDatabase();
        await s.close();
      });

      /** A driver collection typed with string ids, for looking under the adapter. */
      const raw = <T extends { _id: string }>(name: string) => {
        const db = s.connection.db;
        if (!db) throw new Error('no database handle');
        return db.collection<T>(name);
      };

      it('declares the unique indexes the contract relies on', async () => {
        const unique = async (collection: string): Promise<string[]> => {
          const indexes = await raw(collection).indexes();
          return indexes.filter((i) => i.unique).map((i) => Object.keys(i.key).join(','));
        };
        expect(await unique('customers')).toEqual(['channel,platformUserId']);
        expect(await unique('conversations')).toEqual(['channel,key']);
        expect(await unique('inbox')).toEqual(['channel,platformMsgId']);
        expect(await unique('outbox')).toEqual(['key']);
        expect(await unique('users')).toEqual(['username']);
      });

      it('stores ids as UUID strings and evidence bytes in the GridFS bucket "evidence" under the same id', async () => {
        const { conversation } = await seedConversation(s);
        const doc = await raw<{ _id: string; version: number }>('conversations').findOne({ _id: conversation.id });
        expect(doc?._id).toBe(conversation.id);
        expect(doc?.version).toBe(1);
        const bytes = randomBytes(600 * 1024);
        const e = await s.addEvidence(newEvidence(conversation.id, bytes), bytes);
        const file = await raw<{ _id: string; length: number }>('evidence.files').findOne({ _id: e.id });
        expect(file?.length).toBe(bytes.length);
        const chunks = raw<{ _id: string; files_id: string }>('evidence.chunks');
        expect(await chunks.countDocuments({ files_id: e.id })).toBe(3);
      });

      it('init moves the SLA state and steps of cases stored before they were fields, leaving malformed ones in data', async () => {
        const at = new Date().toISOString();
        const sla = { firstResponseDue: at, nextResponseDue: null, resolutionDue: null, decisionDue: null, breaches: [] };
        const steps = [{ kind: 'goods_received', key: 'k1', at, by: 'user-1' }];
        const old = (id: string, data: Record<string, unknown>) => ({
          _id: id, channel: 'wecom', customerId: 'wmU1', conversationId: 'cv1', category: null, orderId: null, description: null,
          evidence: [], resolution: null, status: 'executing', priority: 2, risk: false, assignee: null, csat: null, reopenCount: 0,
          data, version: 3, createdAt: at, updatedAt: at,
        });
        const [moved, malformed] = [`old-${randomUUID()}`, `bad-${randomUUID()}`];
        await raw('cases').insertMany([old(moved, { sla, steps, escalatedAt: at }), old(malformed, { sla: 'soon' })]);
        await s.init();
        expect(await s.getCase(moved)).toMatchObject({ sla, steps, data: { escalatedAt: at }, version: 3 });
        expect((await s.getCase(moved))?.data).toEqual({ escalatedAt: at });
        expect(await s.getCase(malformed)).toMatchObject({ sla: null, steps: [], data: { sla: 'soon' } });
      });

      it('does not let an operator object in a string field become a query', async () => {
        await s.createUser({ username: `u-${randomUUID()}`, displayName: 'x', role: 'agent', passwordHash: 'h' });
        const injected = { $ne: null } as unknown as string;
        // Sanitised into {$eq: {...}}: either no match or a cast error, never "any user".
        expect(await s.getUserByName(injected).catch(() => null)).toBeNull();
      });
    });
  });
}
