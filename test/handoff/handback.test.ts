/**
 * 交还机器人 with a message nobody answered: the shopper hears that the bot answers again, and the bot answers
 * what they wrote while a person had the chat — once, as one turn, through the drain — against the real app
 * (web simulator over HTTP, console API, Redis queues, SQLite). First with the shop's own bot, then with a bot
 * that records what it reads, so "once" and "one turn" are counted exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotHandler } from '../../src/pipeline/bot.js';
import { triggerConversation } from '../../src/pipeline/ingest.js';
import { reconcile } from '../../src/pipeline/reconcile.js';
import { changeConversation } from '../../src/store/versioned.js';
import { handBackPatch, replayOf, withoutReplay, type RowRef } from '../../src/pipeline/replay.js';
import { MAX_TURN_ROWS } from '../../src/pipeline/turn.js';
import type { Conversation } from '../../src/store/types.js';
import type { Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/harness.js';
import { client, errorCode, login, makeUser, startConsole, type Call, type ConsoleHarness } from '../console/console-harness.js';
import { WebCustomer } from '../dialogue/web-customer.js';

let visitors = 0;

async function agentCall(c: ConsoleHarness): Promise<Call> {
  const u = await makeUser(c.h);
  return client(c.url, { cookie: (await login(c.url, u.username)).cookie });
}

/** A shopper who asked for a person, and the agent who took the case. */
async function takenOver(c: ConsoleHarness, agent: Call): Promise<{ shopper: WebCustomer; caseId: string; conversationId: string }> {
  visitors += 1;
  const shopper = new WebCustomer(c.h, `hb${visitors}${Date.now().toString(36)}`);
  await shopper.say('转人工');
  const conv = await waitFor(() => c.h.services.store.findConversation('web', shopper.visitorId), { what: 'conversation' });
  const kase = await waitFor(async () => (await c.h.services.store.listCases({ conversationId: conv.id, status: 'escalated', limit: 1 })).items[0], { what: 'case escalated' });
  expect((await agent(`/api/cases/${kase.id}/claim`, { method: 'POST', body: {} })).status).toBe(200);
  return { shopper, caseId: kase.id, conversationId: conv.id };
}

/** The conversation has nothing left to apply: no pending row, no replay waiting. */
async function idle(h: Harness, conversationId: string, what: string): Promise<void> {
  await waitFor(
    async () => {
      const conv = await h.services.store.getConversation(conversationId);
      return conv !== null && replayOf(conv) === null && (await h.services.store.listPendingInbound(conversationId, 10)).length === 0;
    },
    { what },
  );
}

/** Writes while a person owns the chat and waits until the drain has applied it (the bot says nothing). */
async function writeWhileHuman(h: Harness, shopper: WebCustomer, conversationId: string, text: string): Promise<void> {
  await shopper.write(text);
  await waitFor(async () => (await h.services.store.listInbound(conversationId, 100)).some((r) => r.message.text === text), { what: 'message stored' });
  await idle(h, conversationId, 'message applied');
}

const texts = async (shopper: WebCustomer): Promise<string[]> => (await shopper.botLines()).map((l) => l.text);

describe('hand-back with a pending message, the shop’s own bot', () => {
  let c: ConsoleHarness;
  let agent: Call;
  beforeAll(async () => {
    c = await startConsole();
    agent = await agentCall(c);
  });
  afterAll(async () => c?.stop());

  it('the shopper hears the bot takes over again, then the bot answers the message nobody answered — once', async () => {
    const { shopper, caseId, conversationId } = await takenOver(c, agent);
    await writeWhileHuman(c.h, shopper, conversationId, '物流三天没更新了');
    const before = await texts(shopper);

    const back = await agent(`/api/cases/${caseId}/handback`, { method: 'POST', body: {} });
    expect(back.status).toBe(200);
    await waitFor(async () => (await shopper.botLines()).length >= before.length + 2 && (await shopper.botLines()).every((l) => l.status === 'sent'), { what: 'notice and answer' });
    await idle(c.h, conversationId, 'replay done');
    const added = (await texts(shopper)).slice(before.length);
    expect(added).toHaveLength(2);
    expect(added[0]).toMatch(/智能助手.*刚才的消息/);
    expect(added[0]).not.toMatch(/再发一次/);
    // The bot read 「物流三天没更新了」 and asks for what it needs to look it up.
    expect(added[1]).toMatch(/订单号/);

    // Pressing it again is refused, and the drain running again answers nothing more.
    const again = await agent(`/api/cases/${caseId}/handback`, { method: 'POST', body: {} });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe('not_handed_over');
    await triggerConversation(c.h.services, conversationId);
    await idle(c.h, conversationId, 'second drain');
    expect(await texts(shopper)).toEqual([...before, ...added]);
  });

  it('a hand-back whose trigger never reached Redis is found by the reconciler, and the waiting message is answered', async () => {
    const { shopper, conversationId } = await takenOver(c, agent);
    await writeWhileHuman(c.h, shopper, conversationId, '订单什么时候发货');
    const before = await texts(shopper);
    // The marker as the hand-back writes it, with the trigger lost (Redis away at that moment).
    await changeConversation(c.h.services.store, conversationId, (cur) => handBackPatch(cur, 'lost-trigger', '接下来由智能助手继续为您服务。'));
    await reconcile(c.h.services, { pendingOlderThanMs: 60_000 });
    await idle(c.h, conversationId, 'replay run by the reconciler');
    const added = (await texts(shopper)).slice(before.length);
    expect(added[0]).toBe('接下来由智能助手继续为您服务。');
    expect(added.length).toBe(2);
  });
});

describe('hand-back with pending messages, counted', () => {
  let c: ConsoleHarness;
  let agent: Call;
  const turns: string[][] = [];
  const bot: BotHandler = async ({ turn, reply, handOver }) => {
    const said = turn.map((m) => m.text);
    turns.push(said);
    if (said.includes('转人工')) {
      await handOver({ reason: 'customer asked for a person', actor: 'customer' });
      reply('正在为您转接人工客服', { author: 'system' });
      return;
    }
    reply(`收到：${said.join(' / ')}`);
  };
  const readBy = (text: string): string[][] => turns.filter((t) => t.some((m) => m.includes(text)));

  beforeAll(async () => {
    c = await startConsole({ bot });
    agent = await agentCall(c);
  });
  afterAll(async () => c?.stop());

  it('several messages written meanwhile are read as one turn and answered once, the notice first', async () => {
    const { shopper, caseId, conversationId } = await takenOver(c, agent);
    await writeWhileHuman(c.h, shopper, conversationId, '我的订单号是 6915000000000000045');
    await writeWhileHuman(c.h, shopper, conversationId, '快递到哪了');
    expect(readBy('快递到哪了')).toEqual([]);
    const before = await texts(shopper);

    expect((await agent(`/api/cases/${caseId}/handback`, { method: 'POST', body: {} })).status).toBe(200);
    await waitFor(async () => (await texts(shopper)).length >= before.length + 2, { what: 'notice and answer' });
    await idle(c.h, conversationId, 'replay done');
    expect(readBy('快递到哪了')).toEqual([['我的订单号是 6915000000000000045', '快递到哪了']]);
    const added = (await texts(shopper)).slice(before.length);
    expect(added).toHaveLength(2);
    expect(added[0]).toMatch(/智能助手.*刚才的消息/);
    expect(added[1]).toBe('收到：我的订单号是 6915000000000000045 / 快递到哪了');

    // A crash after the answer was committed but before the marker was cleared: the re-run sends the same lines.
    const conv = await c.h.services.store.getConversation(conversationId);
    const pipeline = conv?.meta.pipeline as { replay: string; appliedInboxId: string; rowIds: string[] };
    const rows = (await c.h.services.store.listInbound(conversationId, 100)).filter((r) => pipeline.rowIds.includes(r.id));
    const marker = { key: pipeline.replay, rows: rows.map((r) => ({ id: r.id, platformMsgId: r.platformMsgId })), notice: added[0] };
    await c.h.services.store.updateConversation(conversationId, conv!.version, { meta: { ...conv!.meta, replay: marker } });
    await triggerConversation(c.h.services, conversationId);
    await idle(c.h, conversationId, 'replay re-run');
    expect(readBy('快递到哪了')).toHaveLength(1);
    expect((await texts(shopper)).slice(before.length)).toEqual(added);
  });

  it('with nothing pending only the hand-back notice goes out, and the bot reads nothing', async () => {
    const { shopper, caseId, conversationId } = await takenOver(c, agent);
    const read = turns.length;
    const before = await texts(shopper);
    expect((await agent(`/api/cases/${caseId}/handback`, { method: 'POST', body: {} })).status).toBe(200);
    await waitFor(async () => (await c.h.services.store.listOutbound({ conversationId, limit: 50 })).some((o) => o.reply.text.includes('智能助手')), { what: 'notice' });
    await triggerConversation(c.h.services, conversationId);
    await idle(c.h, conversationId, 'drain after hand-back');
    expect(turns).toHaveLength(read);
    const added = (await c.h.services.store.listOutbound({ conversationId, limit: 50 })).map((o) => o.reply.text).filter((t) => !before.includes(t));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/智能助手继续为您服务/);
    expect(added[0]).not.toMatch(/刚才的消息/);
  });

  it('a message the agent answered is not answered again by the bot', async () => {
    const { shopper, caseId, conversationId } = await takenOver(c, agent);
    await writeWhileHuman(c.h, shopper, conversationId, '什么时候发货');
    expect((await agent(`/api/cases/${caseId}/reply`, { method: 'POST', body: { text: '今天下午发出' } })).status).toBe(201);
    expect((await agent(`/api/cases/${caseId}/handback`, { method: 'POST', body: {} })).status).toBe(200);
    await triggerConversation(c.h.services, conversationId);
    await idle(c.h, conversationId, 'drain after hand-back');
    expect(readBy('什么时候发货')).toEqual([]);
  });
});

describe('the replay marker', () => {
  const conv = (meta: Record<string, unknown>, mode: 'bot' | 'human' = 'human'): Conversation => ({
    id: 'c1', channel: 'web', key: 'k', customerId: 'u', mode, state: {}, meta, lastCustomerAt: 1, repliesSinceCustomer: 0, version: 3, createdAt: '', updatedAt: '',
  });
  const ref = (n: number): RowRef => ({ id: `r${n}`, platformMsgId: `p${n}` });

  it('moves what nobody answered into the hand-back, keeping the newest messages of one turn', () => {
    const waiting = Array.from({ length: MAX_TURN_ROWS + 2 }, (_, i) => ref(i));
    const patch = handBackPatch(conv({ unanswered: waiting, open_kfid: 'kf' }), 'h1', '通知');
    expect(patch).toEqual({ mode: 'bot', meta: { open_kfid: 'kf', replay: { key: 'h1', rows: waiting.slice(-MAX_TURN_ROWS), notice: '通知' } } });
    expect(handBackPatch(conv({}), 'h1', '通知')).toEqual({ mode: 'bot' });
    expect(handBackPatch(conv({}, 'bot'), 'h1', '通知')).toBeNull();
  });

  it('gives the messages back to a person who took the chat before the replay ran, and replays them at the next hand-back', () => {
    const marked = conv({ replay: { key: 'h1', rows: [ref(1)], notice: '通知' }, unanswered: [ref(2)] });
    expect(withoutReplay(marked, 'h1', { backToPeople: true })).toEqual({ meta: { unanswered: [ref(1), ref(2)] } });
    expect(withoutReplay(marked, 'other', { backToPeople: true })).toBeNull();
    expect(handBackPatch(marked, 'h2', '通知')).toMatchObject({ meta: { replay: { key: 'h2', rows: [ref(1), ref(2)] } } });
    // Already answered (its record committed, the marker not yet cleared): not carried into the next replay.
    const answered = conv({ ...marked.meta, pipeline: { appliedInboxId: 'r1', lines: [], replay: 'h1' } });
    expect(handBackPatch(answered, 'h2', '通知')).toMatchObject({ meta: { replay: { key: 'h2', rows: [ref(2)] } } });
  });
});
