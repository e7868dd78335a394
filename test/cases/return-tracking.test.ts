/**
 * The shopper's return tracking number through the real app (simulator HTTP → inbox → drain → the app's bot →
 * outbox, console API, Redis, SQLite): after an approved return's address step, the number the shopper sends is
 * recorded by the bot as the `return_tracking` step and thanked once, naming the carrier; other words reach the
 * dialogue; a resolution that keeps the goods does not read numbers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/core/types.js';
import { WebCustomer } from '../dialogue/web-customer.js';
import { client, login, makeUser, startConsole, type Call, type ConsoleHarness } from '../console/console-harness.js';
import { fileCase } from './helpers.js';

let c: ConsoleHarness;

beforeAll(async () => {
  c = await startConsole();
});
afterAll(async () => c?.stop());
afterEach(async () => {
  for (const u of await c.h.services.store.listUsers()) if (u.online) await c.h.services.store.updateUser(u.id, { online: false });
});

interface CaseView {
  status: string;
  steps: { kind: string; by: string; trackingNo?: string; carrier?: string }[];
}

/** A filed case an agent claimed and approved with `resolutions`, the return address step recorded or not. */
async function approved(resolutions: string[], addressSent: boolean): Promise<{ k: Case; agent: Call }> {
  const u = await makeUser(c.h, { online: false });
  const agent = client(c.url, { cookie: (await login(c.url, u.username)).cookie });
  const k = await fileCase(c.h);
  expect((await agent(`/api/cases/${k.id}/claim`, { method: 'POST', body: {} })).status).toBe(200);
  expect((await agent(`/api/cases/${k.id}/approve`, { method: 'POST', body: { resolutions } })).status).toBe(200);
  if (addressSent) {
    const step = { kind: 'return_address', address: '浙江省杭州市余杭区仓前街道 售后仓 收', clientId: `addr-${k.id}` };
    expect((await agent(`/api/cases/${k.id}/steps`, { method: 'POST', body: step })).status).toBe(201);
  }
  return { k, agent };
}

const view = async (agent: Call, k: Case): Promise<CaseView> => (await (await agent(`/api/cases/${k.id}`)).json()) as CaseView;

describe('the return tracking number', () => {
  it('after the return address, the number the shopper sends is recorded by the bot, thanked once naming the carrier, and the agent sees it', async () => {
    const { k, agent } = await approved(['return_refund'], true);
    const shopper = new WebCustomer(c.h, k.customerId);

    const chat = await shopper.say('还没寄，明天寄');
    expect(chat.text).not.toContain('已记下您的退货快递');
    expect((await view(agent, k)).steps.map((st) => st.kind)).toEqual(['return_address']);

    const thanks = await shopper.say('寄出了 顺丰 SF1234567890123');
    expect(thanks.text).toContain('谢谢');
    expect(thanks.text).toContain('顺丰');
    expect(thanks.text).toContain('SF1234567890123');
    const seen = await view(agent, k);
    expect(seen.status).toBe('executing');
    expect(seen.steps).toEqual([
      expect.objectContaining({ kind: 'return_address' }),
      expect.objectContaining({ kind: 'return_tracking', by: 'bot', trackingNo: 'SF1234567890123', carrier: '顺丰' }),
    ]);
    const events = await c.h.services.store.listCaseEvents(k.id);
    expect(events.filter((e) => e.type === 'step' && e.actor === 'bot')).toHaveLength(1);

    // The number is recorded: the same words later are the dialogue's, not a second step.
    await shopper.say('SF1234567890123');
    expect((await view(agent, k)).steps.filter((st) => st.kind === 'return_tracking')).toHaveLength(1);
    const lines = (await shopper.botLines()).filter((l) => l.text.includes('已记下您的退货快递'));
    expect(lines).toHaveLength(1);
  });

  it('a bare number counts without the carrier', async () => {
    const { k, agent } = await approved(['exchange'], true);
    const thanks = await new WebCustomer(c.h, k.customerId).say('75123456789012');
    expect(thanks.text).toContain('75123456789012');
    expect((await view(agent, k)).steps.at(-1)).toMatchObject({ kind: 'return_tracking', by: 'bot', trackingNo: '75123456789012' });
  });

  it('no number is read before the address is sent, nor for a resolution that keeps the goods', async () => {
    for (const [resolutions, addressSent] of [[['return_refund'], false], [['compensation'], true]] as const) {
      const { k, agent } = await approved([...resolutions], addressSent);
      const reply = await new WebCustomer(c.h, k.customerId).say('中通 75123456789012');
      expect(reply.text).not.toContain('已记下您的退货快递');
      expect((await view(agent, k)).steps.some((st) => st.kind === 'return_tracking')).toBe(false);
    }
  });
});
