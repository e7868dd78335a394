/**
 * Acceptance, end to end: the whole app (HTTP + workers, real Redis and SQLite) with a robot key pointing at
 * the fake WeCom. A risky message in the web simulator → exactly one alert at the robot webhook, masked.
 * Runs once the escalation path raises alerts and src/app.ts registers the alerts processor.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inert } from '../../src/alerts/format.js';
import { projectRoot } from '../../src/paths.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom/index.js';
import { SECRET, VECTOR } from '../channels/wecom/env.js';
import { ROBOT_KEY, UNMASKED_PHONE } from './env.js';

const read = (file: string): string => fs.readFileSync(path.join(projectRoot, file), 'utf8');
const wired = read('src/app.ts').includes('alertsProcessor');

describe.skipIf(!wired)('risky message → robot alert', () => {
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
});
