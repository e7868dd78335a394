/**
 * A case's SLA state and execution timeline: typed fields (Case.sla, Case.steps), written by compare-and-set
 * patches like every other field, read by the dashboard statistics from the field itself.
 */
import { describe, expect, it } from 'vitest';
import type { CaseStep, SlaState } from '../../../src/core/types.js';
import { changeCase } from '../../../src/store/versioned.js';
import type { GetStore } from './fixtures.js';
import { concurrently, seedConversation } from './fixtures.js';

const DUE = '2026-03-02T01:00:00.000Z';
const sla = (breaches: SlaState['breaches'] = []): SlaState => ({
  firstResponseDue: DUE,
  nextResponseDue: null,
  resolutionDue: '2026-03-03T00:00:00.000Z',
  decisionDue: null,
  breaches,
});
const breach: SlaState['breaches'][number] = { type: 'first', at: DUE, anchor: '2026-03-02T00:45:00.000Z', agent: 'user-1' };
const step = (key: string): CaseStep => ({ kind: 'reship_tracking', key, at: DUE, by: 'user-1', trackingNo: 'SF1234567890123', carrier: '顺丰' });

export function caseRecordTests(store: GetStore): void {
  async function newCase() {
    const { customer, conversation } = await seedConversation(store());
    return store().createCase({ channel: 'wecom', customerId: customer.id, conversationId: conversation.id, status: 'open' });
  }

  describe('case sla and steps', () => {
    it('round-trip through compare-and-set patches without touching each other or data', async () => {
      const c = await newCase();
      const v2 = await store().updateCase(c.id, 1, { sla: sla(), data: { filedAt: DUE } });
      expect(v2).toMatchObject({ version: 2, sla: sla(), steps: [], data: { filedAt: DUE } });
      const v3 = await store().updateCase(c.id, 2, { steps: [step('s1')] });
      expect(v3).toMatchObject({ version: 3, sla: sla(), steps: [step('s1')], data: { filedAt: DUE } });
      const v4 = await store().updateCase(c.id, 3, { data: { filedAt: DUE, note: 'x' } });
      expect(v4).toMatchObject({ version: 4, sla: sla(), steps: [step('s1')] });
      expect(await store().getCase(c.id)).toEqual(v4);
    });

    it('a stale version changes neither field', async () => {
      const c = await newCase();
      const v2 = await store().updateCase(c.id, 1, { sla: sla(), steps: [step('s1')] });
      expect(await store().updateCase(c.id, 1, { sla: sla([breach]), steps: [step('s1'), step('s2')] })).toBeNull();
      expect(await store().getCase(c.id)).toEqual(v2);
    });

    it('clears the SLA back to null (not an empty object)', async () => {
      const c = await newCase();
      await store().updateCase(c.id, 1, { sla: sla([breach]) });
      const v3 = await store().updateCase(c.id, 2, { sla: null });
      expect(v3?.sla).toBeNull();
      expect((await store().getCase(c.id))?.sla).toBeNull();
    });

    it('concurrent versioned appends of steps all land, each once', async () => {
      const c = await newCase();
      await concurrently(5, (i) => changeCase(store(), c.id, (cur) => ({ steps: [...cur.steps, step(`k${i}`)] })));
      const after = await store().getCase(c.id);
      expect(after?.steps.map((st) => st.key).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
      expect(after?.version).toBe(6);
    });

    it('the dashboard reads breaches from the field: settled when breached, met when resolved without one', async () => {
      const breached = await newCase();
      const met = await newCase();
      const none = await newCase();
      await store().updateCase(breached.id, 1, { sla: sla([breach]) });
      await store().updateCase(met.id, 1, { sla: sla(), status: 'resolved' });
      await store().updateCase(none.id, 1, { status: 'resolved' });
      const period = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };
      const [total] = await store().caseStats(period);
      expect(total).toMatchObject({ cases: 3, slaSettled: 2, slaMet: 1 });
      await store().updateCase(breached.id, 2, { sla: sla() });
      const [after] = await store().caseStats(period);
      expect(after).toMatchObject({ cases: 3, slaSettled: 1, slaMet: 1 });
    });
  });
}
