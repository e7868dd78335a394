/**
 * A shopper who writes while their case waits for a person hears their place in the queue — at most once per
 * waitingNoticeMinutes (TIME_SCALE: 10 min → 2 s, long enough for a loaded machine), a short 「已转达」 in between — and nothing from us once
 * an agent owns the conversation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebCustomer } from '../dialogue/web-customer.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { setPresence } from '../../src/handoff/actions.js';
import { agent } from './helpers.js';

let h: Harness;
let n = 0;
/** Sends a message without expecting an answer (the bot is meant to be quiet). */
async function write(visitorId: string, text: string): Promise<void> {
  n += 1;
  const res = await fetch(`${h.baseUrl}/simulator/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `asa_visitor=${visitorId}` },
    body: JSON.stringify({ visitorId, clientMsgId: `w${n}`, text }),
  });
  expect(res.status).toBe(202);
}
beforeAll(async () => {
  h = await startHarness({ env: { TIME_SCALE: '300' } });
});
afterAll(async () => h?.stop());

describe('waiting for a person', () => {
  it('tells the place in the queue now and then, notes every message in between, and stays silent once an agent has the case', async () => {
    const s = h.services;
    const shopper = new WebCustomer(h, 'waiting-visitor-1');
    await shopper.say('我要转人工');
    const handover = await waitFor(async () => {
      const lines = await shopper.botLines();
      return lines.length >= 1 ? lines : null;
    }, { what: 'the hand-over notice' });
    expect(handover.at(-1)?.text).toMatch(/转接人工|转人工/);
    await new Promise((r) => setTimeout(r, 2200)); // the notice pause (2 s here) since the hand-over

    const notice = await shopper.say('人呢？');
    expect(notice.text).toMatch(/排|第一位|轮到您/);
    expect((await shopper.botLines()).at(-1)?.from).toBe('system');

    // Right after: no second queue notice, but not silence either.
    const noted = await shopper.say('快点啊');
    expect(noted.text).toMatch(/转达|记下|补充给同事/);
    expect(noted.text).not.toMatch(/排|第一位|轮到您/);
    const conv = await waitFor(() => s.store.findConversation('web', 'waiting-visitor-1'));
    expect((await shopper.botLines()).length).toBe(handover.length + 2);

    // An agent takes it: from now on only the agent speaks.
    const amy = await agent(s, 'amy', { online: false });
    await setPresence(s, amy.id, true);
    await waitFor(async () => (await s.store.listCases({ conversationId: conv.id, status: 'assigned' })).items[0]?.assignee === amy.id, { what: 'assigned' });
    await new Promise((r) => setTimeout(r, 2200));
    await write('waiting-visitor-1', '还在吗');
    await waitFor(async () => (await s.store.listPendingInbound(conv.id, 10)).length === 0, { what: 'drained' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await shopper.botLines()).length).toBe(handover.length + 2);
  });
});
