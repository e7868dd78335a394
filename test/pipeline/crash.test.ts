/**
 * Real processes: a web process and a worker process share Redis and a SQLite file. The worker is killed
 * with SIGKILL while conversations are being drained; a new worker finishes the work. No message may be
 * lost and no reply may be produced twice.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { outboxKey } from '../../src/pipeline/keys.js';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/types.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { testEnv, waitFor } from '../helpers/harness.js';

async function countPending(store: Store, ids: string[]): Promise<number> {
  let n = 0;
  for (const id of ids) n += (await store.listPendingInbound(id, 1000)).length;
  return n;
}

const PER_VISITOR = 80;

describe('worker killed mid-job', () => {
  const procs: AppProcess[] = [];
  const env = testEnv({ WORKER_LOCK_MS: '2000', WORKER_CONCURRENCY: '4' });
  const store = createStore(loadConfig(env));
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    await store.close();
    fs.rmSync(env.DATA_DIR as string, { recursive: true, force: true });
  });

  it('loses no message and sends no reply twice after a restart', { timeout: 180_000 }, async () => {
    await store.init();
    const web = await spawnApp(env, 'web');
    procs.push(web);

    const visitors = Array.from({ length: 10 }, (_, v) => `crash-visitor-${v}`);
    const base = Date.now();
    const posts: Promise<Response>[] = [];
    for (let i = 0; i < PER_VISITOR; i++) {
      for (const [v, visitorId] of visitors.entries()) {
        posts.push(
          fetch(`${web.url}/simulator/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: `asa_visitor=${visitorId}` },
            body: JSON.stringify({ visitorId, clientMsgId: `m${i}`, sentAt: base + i * 10 + v, text: `第${i}条` }),
          }),
        );
      }
    }
    const statuses = (await Promise.all(posts)).map((r) => r.status);
    expect(statuses.every((s) => s === 202)).toBe(true);
    // The backlog exists before the first worker starts, so the kill lands in the middle of draining it.
    const worker1 = await spawnApp(env, 'worker');
    procs.push(worker1);

    const convIds = await waitFor(async () => {
      const convs = await Promise.all(visitors.map((v) => store.findConversation('web', v)));
      return convs.every(Boolean) ? convs.map((c) => c?.id as string) : null;
    });
    // Kill while replies are being produced and work is still pending.
    await waitFor(async () => {
      let processed = 0;
      for (const id of convIds) processed += (await store.listInbound(id, 1000)).filter((r) => r.status !== 'pending').length;
      return processed >= 20;
    }, { what: 'first messages processed' });
    await worker1.kill('SIGKILL');
    const pendingAtKill = await countPending(store, convIds);
    expect(pendingAtKill).toBeGreaterThan(0);

    const worker2 = await spawnApp(env, 'worker');
    procs.push(worker2);
    await waitFor(async () => (await countPending(store, convIds)) === 0, { timeoutMs: 90_000, what: 'all inbox rows processed' });
    // Processing a row writes its replies; their send jobs finish a moment later.
    await waitFor(
      async () => {
        for (const id of convIds) if ((await store.listOutbound({ conversationId: id, limit: 1000 })).some((o) => o.status === 'pending')) return false;
        return true;
      },
      { timeoutMs: 90_000, what: 'all replies sent' },
    );

    let replies = 0;
    for (const id of convIds) {
      const inbound = await store.listInbound(id, 1000);
      expect(inbound).toHaveLength(PER_VISITOR);
      expect(inbound.every((r) => r.status === 'processed')).toBe(true);
      const outbound = await store.listOutbound({ conversationId: id, limit: 1000 });
      // Every reply sits under a key derived from (inbox row, reply index), and the indices of each row run
      // 0..n-1 with no gap: a message answered twice would have needed a second set of keys.
      const expected = new Set<string>();
      for (const r of inbound) for (let i = 0; i < 10; i++) expected.add(outboxKey('b', r.id, i));
      // Replies to messages ('b' keys); timers and pushes write their own ('s' keys).
      const keys = outbound.map((o) => o.key).filter((k) => k.startsWith('b'));
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.every((k) => expected.has(k))).toBe(true);
      for (const r of inbound) {
        const count = keys.filter((k) => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].some((i) => outboxKey('b', r.id, i) === k)).length;
        for (let i = 0; i < count; i++) expect(keys).toContain(outboxKey('b', r.id, i));
      }
      expect(outbound.every((o) => o.status !== 'pending')).toBe(true);
      replies += outbound.length;
    }
    expect(replies).toBeGreaterThan(0);
  });
});
