/**
 * Durability: Redis loses every key of the app between scheduling and the due time (the app is stopped, its
 * keys deleted, the app started again on the same store). rebuildFollowups puts the alarm back from the
 * store, and the survey reaches the customer exactly once.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { followupTimerHandlers, readPlan, rebuildFollowups } from '../../src/followup/index.js';
import { SURVEY_TIMER, surveyOutboxKey, timerJobId } from '../../src/followup/plan.js';
import { createRedis } from '../../src/queues/connection.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { WebCustomer } from '../dialogue/web-customer.js';
import { openCase, resolveCase } from './helpers.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-followup-'));
const prefix = `tfu${randomBytes(5).toString('hex')}`;
// The 10-minute survey delay becomes 6 s: time to stop the app and empty Redis before it is due.
const env = { TIME_SCALE: '100', QUEUE_PREFIX: prefix };
const redisUrl = process.env.TEST_REDIS_URL ?? inject('redisUrl');
const running: Harness[] = [];

async function stopAll(): Promise<void> {
  for (const h of running.splice(0)) await h.stop();
}
afterEach(stopAll);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Deletes every Redis key under this test's queue prefix (the other tests' prefixes are untouched). */
async function loseRedisKeys(): Promise<number> {
  const redis = createRedis(redisUrl, { name: 'followup-test-flush' });
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length > 0) await redis.del(...keys);
    return keys.length;
  } finally {
    await redis.quit();
  }
}

describe('follow-ups survive a Redis that lost its data', () => {
  it('sends the survey exactly once after the restart', { timeout: 60_000 }, async () => {
    const visitorId = 'fu-rebuild-visitor-1';
    const first = await startHarness({ env, dataDir });
    running.push(first);
    await new WebCustomer(first, visitorId).say('你好');
    const conv = await waitFor(() => first.services.store.findConversation('web', visitorId));
    const kase = await openCase(first.services, conv);
    await resolveCase(first.services, kase.id);
    const surveyJob = timerJobId(SURVEY_TIMER, kase.id, { round: 1, n: 0 });
    expect(await first.services.queues.get('timer').getJob(surveyJob)).toBeDefined();
    await stopAll();

    expect(await loseRedisKeys()).toBeGreaterThan(0);

    const second = await startHarness({ env, dataDir });
    running.push(second);
    const c = new WebCustomer(second, visitorId);
    const before = (await c.botLines()).length;
    await rebuildFollowups(second.services);
    expect(await second.services.queues.get('timer').getJob(surveyJob)).toBeDefined();
    // Running it again (another worker starting, a second call) adds nothing.
    expect(await rebuildFollowups(second.services)).toEqual({ rescheduled: 0 });

    const survey = await c.nextReply(before, 30_000);
    expect(survey.choices.map((x) => x.id)).toContain('csat-5');
    expect(await rebuildFollowups(second.services)).toEqual({ rescheduled: 0 });
    await new Promise((r) => setTimeout(r, 1500));

    const rows = (await second.services.store.listOutbound({ conversationId: conv.id })).filter((o) => o.caseId === kase.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: surveyOutboxKey(kase.id, 1), status: 'sent' });
    const lines = (await c.botLines()).filter((l) => (l.choices ?? []).some((x) => x.id === 'csat-5'));
    expect(lines).toHaveLength(1);
    expect((await second.services.store.listCaseEvents(kase.id)).filter((e) => e.type === 'survey_sent')).toHaveLength(1);
  });

  it('re-queues a survey that was committed but whose send job was lost', { timeout: 60_000 }, async () => {
    const visitorId = 'fu-rebuild-visitor-2';
    // A web-only process: the survey alarm is run by hand and nothing delivers the outbox row.
    const web = await startHarness({ env, dataDir, role: 'web' });
    running.push(web);
    const res = await fetch(`${web.baseUrl}/simulator/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `asa_visitor=${visitorId}` },
      body: JSON.stringify({ visitorId, clientMsgId: 'hello', text: '你好' }),
    });
    expect(res.status).toBe(202);
    const conv = await waitFor(() => web.services.store.findConversation('web', visitorId));
    const kase = await openCase(web.services, conv);
    await resolveCase(web.services, kase.id);
    const job = { kind: SURVEY_TIMER, subjectId: kase.id, dueAt: Date.now(), payload: { round: 1, n: 0 } };
    expect(await followupTimerHandlers(web.services.data)[SURVEY_TIMER]?.(web.services, job)).toBe('sent');
    expect(await web.services.store.getOutbound(surveyOutboxKey(kase.id, 1))).toMatchObject({ status: 'pending' });
    await stopAll();
    expect(await loseRedisKeys()).toBeGreaterThan(0);

    const worker = await startHarness({ env, dataDir });
    running.push(worker);
    await rebuildFollowups(worker.services);
    await waitFor(async () => (await worker.services.store.getOutbound(surveyOutboxKey(kase.id, 1)))?.status === 'sent', { what: 'the survey delivered' });
    expect(readPlan((await worker.services.store.getCase(kase.id)) ?? { data: {} })?.survey.status).toBe('sent');
    const rows = (await worker.services.store.listOutbound({ conversationId: conv.id })).filter((o) => o.caseId === kase.id);
    expect(rows).toHaveLength(1);
  });
});
