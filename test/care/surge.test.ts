/**
 * Issue #19 item 4 through the whole app as production builds it (web + workers, the default bot, real Redis and
 * SQLite): shoppers on the web simulator make a livestream peak; the clock is the harness's fake clock, moved by
 * hand, so minutes pass without waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCareConfig } from '../../src/care/config.js';
import { thresholdOf, type SurgeStatus } from '../../src/surge/state.js';
import { WebCustomer } from '../dialogue/web-customer.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const MINUTE = 60_000;
const API_TOKEN = 'surge-test-token-0123456789';
const ANSWER = '本场直播的订单都会在48小时内发出，发货后可在订单里查看物流。';
const cfg = loadCareConfig().surge;
/** A fixed time at the start of a minute, moved by the test only. */
let now = Math.ceil(Date.now() / MINUTE) * MINUTE + 5_000;
let app: Harness;

const api = async (path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${app.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const surge = async (): Promise<SurgeStatus & { answer: string | null }> => (await api('/api/surge')).body as unknown as SurgeStatus & { answer: string | null };
const heard = async (c: WebCustomer): Promise<number> => (await c.botLines()).filter((l) => l.text.includes(ANSWER)).length;

beforeAll(async () => {
  app = await startHarness({ env: { API_TOKEN }, clock: { now: () => now } });
});
afterAll(async () => {
  await app?.stop();
});

describe('surge mode', () => {
  it('a manager sets the answer in one field; a bad one is refused and changes nothing', async () => {
    expect((await api('/api/surge/answer', { method: 'PUT', body: JSON.stringify({ text: ANSWER }) })).body).toEqual({ answer: ANSWER });
    const tooLong = await api('/api/surge/answer', { method: 'PUT', body: JSON.stringify({ text: '发'.repeat(301) }) });
    expect(tooLong.status).toBe(400);
    expect((await surge()).answer).toBe(ANSWER);
  });

  it('starts over the threshold, answers up front once per shopper, and ends by itself after the peak', async () => {
    // A usual minute: a few shoppers, no surge.
    const usual = Array.from({ length: 3 }, (_, i) => new WebCustomer(app, `surge-usual-${i}`));
    await Promise.all(usual.map((c) => c.say('你好，请问怎么退货')));
    expect((await surge()).active).toBe(false);

    // The live ends: the next minute, far more than the threshold allows.
    now += MINUTE;
    const threshold = thresholdOf(cfg, 3 / cfg.trailingMinutes);
    const peak = Array.from({ length: threshold }, (_, i) => new WebCustomer(app, `surge-peak-${i}`));
    await Promise.all(peak.map((c) => c.say('什么时候发货呀')));
    const on = await surge();
    expect(on).toMatchObject({ active: true, perMinute: threshold, threshold });
    expect((await app.services.store.listAlerts({ kind: 'surge' })).length).toBe(1);

    // A shopper writing during the surge hears the answer first, and only once however often they write.
    const late = new WebCustomer(app, 'surge-late');
    await late.say('我的订单什么时候发货');
    const lines = await late.botLines();
    expect(lines[0]?.text).toContain(ANSWER);
    expect(lines.length).toBeGreaterThan(1); // the dialogue still answers after it
    await late.say('好的，还有个问题');
    expect(await heard(late)).toBe(1);

    // Quiet minutes pass: the surge is over without anyone ending it, and shoppers get the usual dialogue.
    now += (cfg.quietMinutes + 1) * MINUTE;
    expect(await surge()).toMatchObject({ active: false, since: on.since });
    const after = new WebCustomer(app, 'surge-after');
    await after.say('什么时候发货呀');
    expect(await heard(after)).toBe(0);
    expect((await app.services.store.listAlerts({ kind: 'surge' })).length).toBe(1);
  });
});
