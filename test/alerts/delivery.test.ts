/**
 * The alerts job against the fake WeCom's robot webhook (20/min → 45009): batching, the shared per-minute
 * budget, retry after a refusal, exactly-once delivery and masking. Time moves on a manual clock shared with
 * the fake; the processor is called the way the worker calls it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { raiseAlert } from '../../src/alerts/index.js';
import { inert, ROBOT_MARKDOWN_MAX } from '../../src/alerts/format.js';
import { alertJobs, ROBOT_KEY, startAlertsEnv, UNMASKED_PHONE, type AlertsEnv } from './env.js';

let env: AlertsEnv;
beforeEach(async () => {
  env = await startAlertsEnv({ robot: true, app: false });
});
afterEach(async () => {
  await env.stop();
});

const risky = (i: number) => ({
  key: `risk:test-${i}`,
  kind: 'risk',
  level: 'critical' as const,
  title: `风险消息 #${i}`,
  text: `客户说要去12315投诉，电话1381234${String(5000 + i).padStart(4, '0')}，地址：朝阳区建国路88号3栋201室`,
});

/** Most robot messages the fake accepted within any 60 s. */
function busiestMinute(env: AlertsEnv): number {
  const times = env.fake.model.alerts.filter((a) => a.kind === 'robot').map((a) => a.at);
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u - t < 60_000).length));
}

/** How many robot messages mention each alert title. */
function mentions(env: AlertsEnv, title: string): number {
  return env.robotBodies().filter((b) => b.includes(`${inert(title)}**`)).length;
}

describe('alerts → group robot', () => {
  it('stores masked text and pushes one markdown message to the robot', async () => {
    const alert = await raiseAlert(env.services, risky(1));
    expect(alert.text).not.toMatch(UNMASKED_PHONE);
    expect(alert.text).toContain('138****5001');
    expect(alert.text).not.toContain('建国路88号');
    expect(await env.deliver()).toBe('delivered 1');
    const bodies = env.robotBodies();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain(inert('风险消息 #1'));
    expect(bodies[0]).not.toMatch(UNMASKED_PHONE);
    const [stored] = await env.services.store.listAlerts({ limit: 5 });
    expect(stored?.deliveredAt).not.toBeNull();
    // Nothing left: a second run sends nothing.
    expect(await env.deliver()).toBe('delivered 0');
    expect(env.robotBodies()).toHaveLength(1);
  });

  it('a repeated key returns the first alert and enqueues nothing new', async () => {
    const first = await raiseAlert(env.services, risky(2));
    const jobsAfterFirst = await alertJobs(env.services);
    const again = await raiseAlert(env.services, { ...risky(2), text: 'another text' });
    expect(again.id).toBe(first.id);
    expect(again.text).toBe(first.text);
    expect(await alertJobs(env.services)).toEqual(jobsAfterFirst);
    expect(await env.services.store.listAlerts({ kind: 'risk' })).toHaveLength(1);
  });

  it('25 alerts within a minute: all delivered once, at most 20 robot calls a minute, nothing unmasked', async () => {
    // Alerts trickle in and the job runs after each, as the worker would.
    for (let i = 0; i < 25; i++) {
      await raiseAlert(env.services, risky(100 + i));
      await env.deliver();
      env.clock.advance(1_000);
    }
    expect(env.robotBodies()).toHaveLength(20);
    expect(await env.services.store.listAlerts({ undelivered: true })).toHaveLength(5);
    // The budget is full: a job is waiting (or delayed) for when a slot frees up.
    const jobs = await alertJobs(env.services);
    expect(jobs.waiting + jobs.delayed).toBeGreaterThanOrEqual(1);

    env.clock.advance(40_000);
    expect(await env.deliver('rate limit')).toBe('delivered 5');
    expect(env.robotBodies()).toHaveLength(21);
    expect(busiestMinute(env)).toBeLessThanOrEqual(20);
    expect(env.fake.refusals).toHaveLength(0);
    for (let i = 0; i < 25; i++) expect(mentions(env, `风险消息 #${100 + i}`)).toBe(1);
    for (const body of env.robotBodies()) {
      expect(body).not.toMatch(UNMASKED_PHONE);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(ROBOT_MARKDOWN_MAX);
    }
    expect(await env.services.store.listAlerts({ undelivered: true })).toHaveLength(0);
  });

  it('many alerts at once are batched into few messages of at most 4096 bytes', async () => {
    for (let i = 0; i < 60; i++) await raiseAlert(env.services, { ...risky(200 + i), text: `${risky(200 + i).text} ${'很长的描述'.repeat(40)}` });
    expect(await env.deliver()).toBe('delivered 60');
    const bodies = env.robotBodies();
    expect(bodies.length).toBeGreaterThan(1);
    expect(bodies.length).toBeLessThan(60);
    for (const body of bodies) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(ROBOT_MARKDOWN_MAX);
    for (let i = 0; i < 60; i++) expect(mentions(env, `风险消息 #${200 + i}`)).toBe(1);
  });

  it('45009 from WeCom: backs off, retries later, delivers exactly once', async () => {
    // Someone else used the robot's whole minute: WeCom refuses our message with 45009.
    for (let i = 0; i < 20; i++) {
      await fetch(`${env.fake.baseUrl}/cgi-bin/webhook/send?key=${ROBOT_KEY}`, {
        method: 'POST',
        body: JSON.stringify({ msgtype: 'text', text: { content: `other sender ${i}` } }),
      });
    }
    await raiseAlert(env.services, risky(300));
    expect(await env.deliver()).toMatch(/^deferred/);
    expect(mentions(env, '风险消息 #300')).toBe(0);
    expect(await env.services.store.listAlerts({ undelivered: true })).toHaveLength(1);
    const callsAfterRefusal = env.fake.calls('webhook/send');

    // Still inside WeCom's block: the job waits without calling WeCom.
    env.clock.advance(30_000);
    expect(await env.deliver('rate limit')).toMatch(/^deferred/);
    expect(env.fake.calls('webhook/send')).toBe(callsAfterRefusal);

    env.clock.advance(35_000);
    expect(await env.deliver('rate limit')).toBe('delivered 1');
    expect(mentions(env, '风险消息 #300')).toBe(1);
    expect(await env.deliver()).toBe('delivered 0');
    expect(mentions(env, '风险消息 #300')).toBe(1);
  });

  it('two runs at once never send the same alert twice', async () => {
    for (let i = 0; i < 5; i++) await raiseAlert(env.services, risky(400 + i));
    const results = await Promise.all([env.deliver('a'), env.deliver('b'), env.deliver('c')]);
    expect(results.filter((r) => r === 'busy').length).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 5; i++) expect(mentions(env, `风险消息 #${400 + i}`)).toBe(1);
  });

  it('budget is shared: a second process sees the slots the first used', async () => {
    const other = await startAlertsEnv({ robot: true, app: false, env: { QUEUE_PREFIX: env.services.config.queuePrefix } });
    try {
      other.clock.set(env.clock.now());
      for (let i = 0; i < 15; i++) {
        await raiseAlert(env.services, risky(500 + i));
        await env.deliver();
      }
      // Same Redis budget, different process: only 5 slots left in this minute.
      let sent = 0;
      for (let i = 0; i < 10; i++) {
        await raiseAlert(other.services, risky(600 + i));
        if ((await other.deliver()).startsWith('delivered 1')) sent++;
      }
      expect(sent).toBe(5);
    } finally {
      await other.stop();
    }
  });
});

describe('alerts with nowhere to go', () => {
  it('stay in the console feed, undelivered, without looping', async () => {
    const off = await startAlertsEnv({ robot: false, app: false });
    try {
      await raiseAlert(off.services, risky(700));
      expect(await off.deliver()).toBe('not configured');
      expect(await off.deliver()).toBe('not configured');
      const [a] = await off.services.store.listAlerts({ limit: 1 });
      expect(a?.deliveredAt).toBeNull();
      expect((await alertJobs(off.services)).delayed).toBe(0);
      expect(off.fake.model.alerts).toHaveLength(0);
    } finally {
      await off.stop();
    }
  });
});
