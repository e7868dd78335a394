/**
 * An agent who gets a case is told through a WeCom app message when the internal app is configured
 * (WECOM_CORP_ID + WECOM_AGENT_ID + WECOM_APP_SECRET), against the local WeCom fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom/index.js';
import { SECRET, VECTOR, wecomEnv } from '../channels/wecom/env.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { agent, escalatedCase } from './helpers.js';

let fake: FakeWecom;
let h: Harness;

beforeAll(async () => {
  fake = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, appSecrets: ['app-secret-x'], users: ['zhang.san'], agentId: 1000002 });
  h = await startHarness({ env: wecomEnv(fake.baseUrl, { WECOM_AGENT_ID: '1000002', WECOM_APP_SECRET: 'app-secret-x' }) });
});
afterAll(async () => {
  await h?.stop();
  await fake?.close();
});

describe('assignment notification', () => {
  it('sends the assigned agent one app message naming the case; agents without a WeCom id get none', async () => {
    const s = h.services;
    const zhang = await agent(s, 'zhang', { capacity: 1 });
    await s.store.updateUser(zhang.id, { wecomUserId: 'zhang.san' });
    const c = await escalatedCase(s, { priority: 1, category: 'quality' });
    await waitFor(async () => (await s.store.getCase(c.id))?.assignee === zhang.id, { what: 'assigned' });
    await waitFor(() => fake.model.alerts.find((a) => a.kind === 'app'), { what: 'app message' });
    const apps = fake.model.alerts.filter((a) => a.kind === 'app');
    expect(apps).toHaveLength(1);
    const body = apps[0]?.body as { touser?: string; agentid?: number; text?: { content?: string } };
    expect(body.touser).toBe('zhang.san');
    expect(body.agentid).toBe(1000002);
    expect(body.text?.content ?? JSON.stringify(body)).toMatch(/紧急.*新工单.*商品质量问题/);

    // Someone without a WeCom user id is still assigned, silently.
    const li = await agent(s, 'li');
    const c2 = await escalatedCase(s);
    await waitFor(async () => (await s.store.getCase(c2.id))?.assignee === li.id, { what: 'assigned to li' });
    expect(fake.model.alerts.filter((a) => a.kind === 'app')).toHaveLength(1);
  });
});
