/**
 * Acceptance, end to end: the whole app (HTTP + workers, real Redis and SQLite) with a robot key pointing at
 * the fake WeCom. A risky message in the web simulator → exactly one alert at the robot webhook, masked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inert } from '../../src/alerts/format.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom/index.js';
import { SECRET, VECTOR } from '../channels/wecom/env.js';
import { ROBOT_KEY, UNMASKED_PHONE } from './env.js';

describe('risky message → robot alert', () => {
  let app: Harness;
  let fake: FakeWecom;

  beforeAll(async () => {
    fake = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, robotKey: ROBOT_KEY });
    app = await startHarness({ env: { WECOM_ROBOT_KEY: ROBOT_KEY, WECOM_API_BASE: fake.baseUrl } });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  const robot = () => fake.model.alerts.filter((a) => a.kind === 'robot').map((a) => JSON.stringify(a.body));

  it('sends one masked alert to the managers’ robot', async () => {
    const res = await fetch(`${app.baseUrl}/simulator/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'asa_visitor=e2e-risk-visitor-1' },
      body: JSON.stringify({ visitorId: 'e2e-risk-visitor-1', text: '我要去12315投诉你们，电话13812345678', clientMsgId: 'e2e-risk-1' }),
    });
    expect(res.status).toBe(202);
    await waitFor(() => robot().length >= 1, { what: 'a robot alert', timeoutMs: 30_000 });
    // Give a duplicate the chance to show up before counting.
    await waitFor(async () => (await app.services.store.listAlerts({ undelivered: true })).length === 0, { what: 'alerts delivered' });
    const bodies = robot();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).not.toMatch(UNMASKED_PHONE);
    expect(bodies[0]).toContain(inert('138****5678'));
    const stored = await app.services.store.listAlerts({ limit: 10 });
    expect(stored.some((a) => a.kind === 'risk' && a.level === 'critical')).toBe(true);
    for (const a of stored) expect(`${a.title} ${a.text} ${JSON.stringify(a.data)}`).not.toMatch(UNMASKED_PHONE);
  });

  it('groups a flood of identical risky messages from new visitors into one alert; other risky messages still alert', async () => {
    const send = (visitor: string, text: string) =>
      fetch(`${app.baseUrl}/simulator/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `asa_visitor=${visitor}` },
        body: JSON.stringify({ text, clientMsgId: `${visitor}-1` }),
      });
    const flood = Array.from({ length: 6 }, (_, i) => `flood-visitor-${i}`);
    // The same words, written a little differently each time (spaces, punctuation, width).
    const variants = ['我要去12315投诉你们，曝光你们！', '我要去12315投诉你们 曝光你们', '我要去１２３１５投诉你们。曝光你们'];
    for (const [i, v] of flood.entries()) expect((await send(v, variants[i % variants.length] ?? '')).status).toBe(202);
    expect((await send('flood-other', '你们再不处理我就去12315投诉，孩子用了过敏')).status).toBe(202);
    await waitFor(async () => {
      for (const v of [...flood, 'flood-other']) {
        const conv = await app.services.store.findConversation('web', v);
        const rows = conv ? await app.services.store.listInbound(conv.id, 10) : [];
        if (rows.length === 0 || rows.some((r) => r.status === 'pending')) return false;
      }
      return true;
    }, { what: 'every message handled', timeoutMs: 60_000 });
    const risk = (await app.services.store.listAlerts({ limit: 100 })).filter((a) => a.kind === 'risk');
    const about = (needle: string) => risk.filter((a) => a.text.includes(needle) || a.title.includes(needle));
    const grouped = risk.filter((a) => a.data.grouped === true);
    expect(grouped).toHaveLength(1);
    expect(grouped[0]?.title).toContain('已合并提醒');
    // The first visitor's message alerted on its own, the flood once more as a group, and nothing else about it.
    expect(about('曝光').length).toBe(2);
    expect(about('过敏')).toHaveLength(1);
  });
});
