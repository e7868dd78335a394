/**
 * The review queue's response SLA with TIME_SCALE (120 on-duty minutes → 1 s; the harness is on duty around the
 * clock): a filed case nobody touches breaches once and alerts once, however long it then waits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fileCase } from './helpers.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('review SLA', () => {
  it('a filed case nobody touches breaches the response SLA once and alerts once', async () => {
    h = await startHarness({ env: { TIME_SCALE: '7200' } });
    const { store } = h.services;
    const filed = await fileCase(h);

    const breaches = async () => (await store.listCaseEvents(filed.id)).filter((e) => e.type === 'sla_breached' && e.data.sla === 'first');
    await waitFor(async () => (await breaches()).length > 0, { what: 'the response SLA breach', timeoutMs: 15_000 });
    // Three more response periods at this scale: no second breach, no second alert.
    const periods = 3;
    await new Promise((r) => setTimeout(r, periods * 1000));
    expect(await breaches()).toHaveLength(1);
    expect((await breaches())[0]?.data).toMatchObject({ agent: null, reassigned: false });
    const alerts = (await store.listAlerts({ kind: 'sla_breach' })).filter((a) => a.caseId === filed.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.title).toMatch(/首次响应超时/);
    expect((await store.getCase(filed.id))?.status).toBe('open');
  });
});
