/**
 * No message waits for a callback that never comes: a WeCom burst on two kf accounts, the app killed (SIGKILL)
 * in the middle of it, more messages while it is down (WeCom calls back into the void), then a restart with no
 * callback at all. The start-up sweep (src/channels/wecom/sweep.ts) must pull both accounts, and every message
 * is applied and answered exactly once within a minute of the restart.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load-config.js';
import { conversationKeyOf } from '../../../src/channels/wecom/map-message.js';
import { createRedis } from '../../../src/queues/connection.js';
import { createQueues } from '../../../src/queues/queues.js';
import { createStore } from '../../../src/store/create-store.js';
import { startFakeWecom, CallbackSender, type FakeWecom } from '../../fakes/wecom/index.js';
import { spawnApp, type AppProcess } from '../../helpers/app-process.js';
import { testEnv, waitFor } from '../../helpers/harness.js';
import { KF, SECRET, VECTOR, wecomEnv } from './env.js';

const KF2 = 'wkBBB222';
const USERS = Array.from({ length: 6 }, (_, i) => `wmMISS${String(i).padStart(4, '0')}`);
const accountOf = (i: number): string => (i % 2 === 0 ? KF : KF2);

describe('missed WeCom callbacks', () => {
  const procs: AppProcess[] = [];
  let fake: FakeWecom | null = null;
  let env: Record<string, string> = {};
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    await fake?.close();
    if (env.DATA_DIR) fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
  });

  it('after a kill and a restart with no further callbacks, every message is answered exactly once', { timeout: 180_000 }, async () => {
    fake = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, openKfIds: [KF, KF2] });
    const wecom = fake;
    env = testEnv(wecomEnv(wecom.baseUrl));
    const config = loadConfig(env);
    const store = createStore(config);
    await store.init();
    const redis = createRedis(env.REDIS_URL ?? '', { name: 'missed-callbacks-test' });
    const queues = createQueues(redis, config.queuePrefix);
    try {
      const first = await spawnApp(env, 'all');
      procs.push(first);
      // WeCom calls back while the app is up; after the kill its callbacks reach nobody.
      let up = true;
      const sender = new CallbackSender({ url: `${first.url}/webhooks/wecom`, corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key, retryAfterMs: 2000 });
      const inFlight: Promise<unknown>[] = [];
      wecom.model.onAppend((openKfId) => {
        if (up) inFlight.push(sender.deliver(openKfId, wecom.callbackToken(openKfId)).catch(() => null));
      });

      const sent: string[] = [];
      const burst = (round: number): void => {
        for (const [i, user] of USERS.entries()) sent.push(wecom.customerText(accountOf(i), user, `我的杯子漏水了 第${round}次`));
      };
      burst(1);
      burst(2);
      // Kill once the burst is pulled and no sync is queued or running (a sync job cut by the kill would be retried
      // after its lock expires and pull the rest by luck), while the conversations are still being answered.
      await waitFor(async () => {
        for (const msgid of sent) if (!(await store.findInbound('wecom', msgid))) return false;
        return (await queues.depth())['wecom-sync'] === 0;
      }, { timeoutMs: 90_000, what: 'the burst pulled' });
      await first.kill('SIGKILL');
      up = false;
      await Promise.allSettled(inFlight);
      burst(3);
      burst(4);

      const second = await spawnApp(env, 'all');
      procs.push(second);
      await waitFor(
        async () => {
          for (const msgid of sent) {
            const row = await store.findInbound('wecom', msgid);
            if (row?.status !== 'processed') return false;
          }
          for (const [i, user] of USERS.entries()) {
            const conv = await store.findConversation('wecom', conversationKeyOf(accountOf(i), user));
            if (!conv || (await store.listOutbound({ conversationId: conv.id, status: 'pending' })).length > 0) return false;
          }
          return true;
        },
        { timeoutMs: 60_000, what: 'every message applied and answered after the restart' },
      );

      for (const [i, user] of USERS.entries()) {
        const conv = await store.findConversation('wecom', conversationKeyOf(accountOf(i), user));
        const rows = await store.listInbound(conv?.id ?? '', 100);
        expect(rows.filter((r) => r.message.from === 'customer')).toHaveLength(4);
        const out = await store.listOutbound({ conversationId: conv?.id ?? '' });
        const toUser = wecom.sent.filter((m) => m.touser === user);
        // Each reply reached WeCom once: as many sends as sent outbox rows, no msgid twice, none refused as a repeat.
        expect(toUser.length).toBe(out.filter((o) => o.status === 'sent').length);
        expect(new Set(toUser.map((m) => m.msgid)).size).toBe(toUser.length);
        // Messages pulled in one sync page are one turn, answered once (src/pipeline/turn.ts): the rounds pulled
        // before the kill and those pulled after the restart are at least two turns.
        expect(toUser.length).toBeGreaterThanOrEqual(2);
      }
      expect(wecom.refusals.filter((r) => r.reason === 'duplicate_msgid')).toEqual([]);
    } finally {
      await queues.close();
      await redis.quit();
      await store.close();
    }
  });
});
