/**
 * The scripted intake dialogues end to end on the web channel: HTTP simulator → inbox → conversation
 * worker → dialogue → outbox → transcript, against real Redis and SQLite. Every submitted case is checked
 * against contracts.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseRef } from '../../src/dialogue/answers.js';
import { readState } from '../../src/dialogue/state.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { play, type Driver } from './play.js';
import { order, SCRIPTS } from './scripts.js';
import { WebCustomer } from './web-customer.js';

let h: Harness;
let visitors = 0;

function webDriver(name: string): Driver & { customer: WebCustomer } {
  visitors += 1;
  const visitorId = `dlg-${name}-${visitors}`.slice(0, 60);
  const customer = new WebCustomer(h, visitorId);
  return {
    customer,
    say: (t) => customer.say(t),
    click: (id) => customer.click(id),
    photo: () => customer.photo(),
    conversation: async () => waitFor(() => h.services.store.findConversation('web', visitorId)),
    cases: async () => (await h.services.store.listCases({ conversationId: (await waitFor(() => h.services.store.findConversation('web', visitorId))).id })).items,
  };
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

describe('scripted intake dialogues on the web simulator', () => {
  for (const [i, script] of SCRIPTS.entries()) {
    it(script.name, async () => {
      await play(script, webDriver(`s${i}`));
    });
  }

  it('links the photos to the case and records the created event once', async () => {
    const d = webDriver('evidence');
    await play(SCRIPTS[0] as (typeof SCRIPTS)[number], d);
    const [c] = await d.cases();
    const linked = await h.services.store.listEvidence({ caseId: c?.id as string });
    expect(linked.map((e) => e.id)).toEqual(c?.evidence.map((e) => e.id));
    const events = await h.services.store.listCaseEvents(c?.id as string);
    expect(events.filter((e) => e.type === 'created')).toHaveLength(1);
    expect(c?.data.intakeKey).toEqual(expect.any(String));
    expect(c?.description).toContain('开线');
    // contracts.md: Case.customerId is the channel's user id — here the web visitor id.
    expect(c?.customerId).toBe(d.customer.visitorId);
  });

  it('a risky message is escalated with a one-line reason; then only the system notes what the shopper adds', async () => {
    const d = webDriver('risk');
    await d.say('衣服开线了');
    await d.say('不给我退我就发微博曝光你们');
    const [c] = await d.cases();
    expect(c).toMatchObject({ status: 'escalated', priority: 1, risk: true, category: 'quality' });
    const events = await h.services.store.listCaseEvents(c?.id as string);
    const escalated = events.filter((e) => e.type === 'escalated');
    expect(escalated).toHaveLength(1);
    expect(String(escalated[0]?.data.reason)).toMatch(/^risky message \(.+\)$/);
    expect(String(escalated[0]?.data.reason)).not.toContain('\n');
    const before = (await d.customer.botLines()).length;
    await fetch(`${h.baseUrl}/simulator/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `asa_visitor=${d.customer.visitorId}` },
      body: JSON.stringify({ visitorId: d.customer.visitorId, clientMsgId: 'after-handoff', text: '人呢？' }),
    });
    const conv = await d.conversation();
    await waitFor(async () => (await h.services.store.listPendingInbound(conv.id, 1)).length === 0);
    // No silence while waiting for a person, but no bot either: one short system line that passes it on.
    const after = await waitFor(async () => {
      const lines = await d.customer.botLines();
      return lines.length > before ? lines : null;
    });
    expect(after.slice(before).map((l) => l.from)).toEqual(['system']);
    expect(after.at(-1)?.text).toMatch(/转达|记下|补充给同事|排|轮到您/);
  });

  it('answers a progress question about the existing case', async () => {
    const d = webDriver('progress');
    await play(SCRIPTS[0] as (typeof SCRIPTS)[number], d);
    const [c] = await d.cases();
    const line = await d.say('我的售后处理到哪一步了');
    expect(line.text).toContain(caseRef(c?.id as string));
    expect(line.text).toMatch(/审核/);
  });

  it('asks which case when the customer has several open ones, then answers for the one picked', async () => {
    const d = webDriver('several');
    await d.say('你好');
    const conv = await d.conversation();
    const first = await h.services.store.createCase({ channel: 'web', customerId: conv.customerId, conversationId: conv.id, category: 'quality', orderId: order(21), status: 'open' });
    const second = await h.services.store.createCase({ channel: 'web', customerId: conv.customerId, conversationId: conv.id, category: 'logistics', orderId: order(22), status: 'assigned' });
    const pick = await d.say('我的退款到哪了');
    expect(pick.choices.map((c) => c.id).sort()).toEqual([`case_${first.id}`, `case_${second.id}`].sort());
    expect(readState((await d.conversation()).state).asking).toBe('pick_case');
    const answer = await d.click(`case_${second.id}`);
    expect(answer.text).toContain(caseRef(second.id));
    expect(readState((await d.conversation()).state).asking).toBeNull();
    // Naming the order answers directly.
    const direct = await d.say(`订单${order(21)}的售后到哪了`);
    expect(direct.text).toContain(caseRef(first.id));
  });

  it('a correction right after filing amends the same case, on its history, once', async () => {
    const d = webDriver('amend');
    const script = SCRIPTS.find((x) => x.name.startsWith('wrong item')) as (typeof SCRIPTS)[number];
    await play(script, d);
    const [c] = await d.cases();
    const edited = (await h.services.store.listCaseEvents(c?.id as string)).filter((e) => e.type === 'edited');
    expect(edited).toHaveLength(1);
    expect(edited[0]).toMatchObject({ actor: 'customer', data: { changes: [{ field: 'orderId', from: order(3), to: order(33) }] } });
  });

  it('a correction once someone has taken the case changes nothing on it and is passed on', async () => {
    const d = webDriver('amend-taken');
    await d.say('尺码不合适，想换大一码');
    await d.say(order(71));
    const [c] = await d.cases();
    if (!c) throw new Error('no case filed');
    expect(await h.services.store.updateCase(c.id, c.version, { status: 'assigned', assignee: 'agent-1' })).not.toBeNull();
    const line = await d.say(`订单号发错了，是${order(72)}`);
    expect(line.text).not.toContain('已把');
    const [after] = await d.cases();
    expect(after?.orderId).toBe(order(71));
    expect((await d.cases()).length).toBe(1);
  });

  it('adds a photo sent after submission to the case just created', async () => {
    const d = webDriver('late-photo');
    await play(SCRIPTS[5] as (typeof SCRIPTS)[number], d);
    await d.photo();
    const [c] = await d.cases();
    expect(c?.evidence).toHaveLength(1);
    expect(await h.services.store.listEvidence({ caseId: c?.id as string })).toHaveLength(1);
  });

  it('greets on a greeting and points at what the bot can do on other questions', async () => {
    const d = webDriver('smalltalk');
    const hello = await d.say('在吗');
    expect(hello.text).toContain(h.config.shopName);
    const other = await d.say('你们什么时候开播');
    expect(other.text).toContain('人工');
    const thanks = await d.say('谢谢');
    expect(thanks.text.length).toBeGreaterThan(0);
    expect(await d.cases()).toHaveLength(0);
  });
});

describe('escalation keeps what the customer already said', () => {
  it('「我要找人工客服，快递三天没动了，订单号…」 → the escalated case has the category and the order', async () => {
    const d = webDriver('human-with-facts');
    await d.say('我要找人工客服，快递三天没动了，订单号6912345678901234567');
    const [c] = await waitFor(async () => {
      const cs = await d.cases();
      return cs.length > 0 && cs[0]?.status === 'escalated' ? cs : null;
    });
    expect(c).toMatchObject({ status: 'escalated', category: 'logistics', orderId: '6912345678901234567' });
  });
});
