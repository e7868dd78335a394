/**
 * Error boundary: a bot that throws on one message must not silence the conversation. Through the real
 * pipeline (simulator HTTP → inbox → drain → outbox), with the real dialogue bot wrapped so that one
 * particular message makes it throw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDialogueBot } from '../../src/dialogue/bot.js';
import { loadPolicies } from '../../src/dialogue/policies.js';
import type { BotHandler } from '../../src/pipeline/bot.js';
import { loadTemplates } from '../../templates/render.js';
import { testClassifier } from '../helpers/classifier.js';
import { WebCustomer } from '../dialogue/web-customer.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';

const POISON = '这条消息会让机器人崩溃';
const API_TOKEN = 'poison-test-api-token-0123456789';

let h: Harness;
beforeAll(async () => {
  const real = createDialogueBot({ nlu: await testClassifier(), policies: loadPolicies(), templates: loadTemplates() });
  const bot: BotHandler = async (input) => {
    if (input.message.text.includes(POISON)) throw new TypeError('Cannot read properties of undefined (reading "slots")');
    return real(input);
  };
  h = await startHarness({ bot, env: { API_TOKEN } });
});
afterAll(async () => h?.stop());

describe('a bot error on one message', () => {
  it('answers honestly, hands the conversation to people, records the row, alerts once, and the drain goes on', async () => {
    const s = h.services;
    const ann = new WebCustomer(h, 'poison-ann');
    const bob = new WebCustomer(h, 'poison-bob');
    expect((await ann.say('你好')).text).not.toBe('');

    const sorry = await ann.say(`我买的杯子漏水了，${POISON}`);
    expect(sorry.text).toMatch(/出了点问题/);
    expect(sorry.text).toMatch(/人工/);

    // The next message of the same conversation is processed and answered (the case now waits for a person).
    const next = await ann.say('订单号是6919000011112222333');
    expect(next.text).toMatch(/转达|记下|补充给同事|排|轮到您/);

    // Other conversations are untouched; a second poison message elsewhere raises no second alert.
    expect((await bob.say('你好')).text).not.toMatch(/出了点问题/);
    expect((await bob.say(POISON)).text).toMatch(/出了点问题/);

    const conv = await waitFor(() => s.store.findConversation('web', 'poison-ann'));
    expect(conv.mode).toBe('human');
    const rows = await s.store.listInbound(conv.id, 10);
    const failed = rows.filter((r) => r.status === 'failed');
    expect(failed.map((r) => [r.message.text.includes(POISON), r.error])).toEqual([[true, 'bot_error:TypeError']]);
    expect(rows.filter((r) => r.status === 'pending')).toEqual([]);

    const kase = (await s.store.listCases({ conversationId: conv.id, limit: 5 })).items[0];
    expect(kase?.status).toBe('escalated');
    expect((kase?.data.escalation as { reason?: string } | undefined)?.reason).toBe('bot_error');

    const alerts = await waitFor(async () => {
      const list = await s.store.listAlerts({ kind: 'bot_error' });
      return list.length > 0 ? list : null;
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toMatch(/bot_error:TypeError/);
    expect(alerts[0]?.text).not.toMatch(/漏水|6919/);

    // The agent sees which message the bot failed on.
    const res = await fetch(`${h.baseUrl}/api/cases/${kase?.id}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { messages: { botError?: string }[] };
    expect(body.messages.some((m) => m.botError === 'bot_error:TypeError')).toBe(true);
  });
});
