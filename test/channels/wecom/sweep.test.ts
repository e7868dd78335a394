/**
 * The kf account sweep against the fake's kf/account/list: one token-less sync request per account, spaced to
 * stay under WeCom's token-less limit, deduplicated, and a repeating scheduler registered once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleWecomSweep, SWEEP_EVERY_MS, sweepKfAccounts, TOKENLESS_SPACING_MS, WECOM_SWEEP_SCHEDULER } from '../../../src/channels/wecom/sweep.js';
import { KF, startWecomEnv, type WecomTestEnv } from './env.js';

let env: WecomTestEnv;
beforeAll(async () => {
  env = await startWecomEnv();
});
afterAll(async () => {
  await env.stop();
});

describe('kf account sweep', () => {
  it('requests a spaced token-less sync of every kf account, once however often it runs', async () => {
    expect(await sweepKfAccounts(env.services, env.client)).toBe(2);
    expect(await sweepKfAccounts(env.services, env.client)).toBe(2);
    const jobs = await env.services.queues.get('wecom-sync').getJobs(['waiting', 'delayed']);
    const byAccount = jobs.map((j) => ({ openKfId: j.data.openKfId, token: j.data.token, delay: j.opts.delay ?? 0 }));
    expect(byAccount.sort((a, b) => a.delay - b.delay)).toEqual([
      { openKfId: KF, token: null, delay: 0 },
      { openKfId: 'wkBBB222', token: null, delay: TOKENLESS_SPACING_MS },
    ]);
    expect(env.fake.calls('kf/account/list')).toBe(2);
  });

  it('registers the slow timer once and queues one sweep at start', async () => {
    await scheduleWecomSweep(env.services);
    await scheduleWecomSweep(env.services);
    const timer = env.services.queues.get('timer');
    const schedulers = await timer.getJobSchedulers();
    expect(schedulers.filter((j) => j.key === WECOM_SWEEP_SCHEDULER)).toEqual([expect.objectContaining({ every: SWEEP_EVERY_MS })]);
  });
});
