/**
 * Takeover on WeCom 微信客服, end to end through the fake kf API with one clock: the customer asks for a person,
 * the case is assigned, the bot stays silent while the agent owns it, the agent's reply goes out through
 * send_msg, and once the 48 h window has closed an agent reply is held (shown in the console), never attempted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyToCase, resolveCase } from '../../src/handoff/actions.js';
import { CallbackSender, startFakeWecom, type FakeWecom } from '../fakes/wecom/index.js';
import { KF, SECRET, VECTOR, wecomEnv } from '../channels/wecom/env.js';
import { manualClock } from '../helpers/clock.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { agent } from './helpers.js';

const USER = 'wmTAKEOVER01';
const HOUR = 3600_000;
const clock = manualClock();
let app: Harness;
let fake: FakeWecom;

beforeAll(async () => {
  fake = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, openKfIds: [KF], clock });
  app = await startHarness({ env: wecomEnv(fake.baseUrl), clock });
  fake.connect(new CallbackSender({ url: `${app.baseUrl}/webhooks/wecom`, corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key, retryAfterMs: 2000, clock }));
});
afterAll(async () => {
  await fake?.close();
  await app?.stop();
});

const sentTo = () => fake.sent.filter((m) => m.touser === USER);
const textOf = (m: { body: Record<string, unknown> }): string => String((m.body.text as { content?: string } | undefined)?.content ?? '');

describe('takeover on WeCom', () => {
  it('agent replies go out through 微信客服; the bot says nothing meanwhile; a closed window holds the reply', { timeout: 60_000 }, async () => {
    const s = app.services;
    const amy = await agent(s, 'amy');
    fake.customerText(KF, USER, '衣服开线了，我要找人工客服');
    const kase = await waitFor(async () => (await s.store.listCases({ status: 'assigned', assignee: amy.id })).items[0], { what: 'case assigned to amy' });
    await waitFor(() => sentTo().length >= 1, { what: 'the hand-over notice' });
    const beforeAgent = sentTo().length;

    // The customer keeps writing while the agent owns the conversation: the bot stays silent.
    fake.customerText(KF, USER, '在吗？多久能处理？');
    await fake.settle();
    await waitFor(async () => {
      const rows = await s.store.listInbound(kase.conversationId, 50);
      return rows.filter((r) => r.message.text.includes('多久能处理')).every((r) => r.status === 'processed') && rows.some((r) => r.message.text.includes('多久能处理'));
    }, { what: 'the customer message applied' });
    const actor = { id: amy.id, role: 'agent' as const, name: 'amy' };
    const { outbox } = await replyToCase(s, actor, kase.id, '您好，我是售后小美，马上为您登记换货～');
    await waitFor(() => sentTo().find((m) => textOf(m).includes('马上为您登记换货')), { what: 'agent reply delivered through send_msg' });
    // The shopper sees who answers: 微信客服 shows the shop's account, so the reply carries the agent's name.
    expect(sentTo().slice(beforeAgent).map(textOf)).toEqual(['【客服amy】您好，我是售后小美，马上为您登记换货～']);
    // The fake records the request before our client has read the answer and marked the row: wait for the mark.
    await waitFor(async () => (await s.store.getOutbound(outbox.key))?.status === 'sent', { what: 'agent reply marked sent' });
    expect(fake.model.refusals).toEqual([]);

    // Two days later, without a word from the customer, WeCom would refuse (95002): the reply is held instead.
    clock.advance(49 * HOUR);
    const late = await replyToCase(s, actor, kase.id, '请问问题解决了吗？');
    const held = await waitFor(async () => {
      const row = await s.store.getOutbound(late.outbox.key);
      return row?.status === 'held' ? row : null;
    }, { what: 'late reply held' });
    expect(held.error).toMatch(/48/);
    expect(fake.model.refusals).toEqual([]);
    expect(sentTo().map(textOf)).not.toContain('请问问题解决了吗？');

    await resolveCase(s, actor, kase.id, '已换货');
    expect((await s.store.getConversation(kase.conversationId))?.mode).toBe('bot');
  });
});
