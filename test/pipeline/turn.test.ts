/**
 * Customer messages that are ready together are one turn: read by the bot together and answered once, with
 * the error boundary still per message and a replayed turn never answered twice. The pure rule (which rows
 * form a turn) is checked on rows; the behaviour through the real pipeline (simulator HTTP → inbox → drain →
 * outbox) with a settle time both messages arrive within.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/core/types.js';
import type { BotHandler } from '../../src/pipeline/bot.js';
import { triggerConversation } from '../../src/pipeline/ingest.js';
import { outboxKey } from '../../src/pipeline/keys.js';
import { MAX_TURN_ROWS, mergeTurn, nextTurn } from '../../src/pipeline/turn.js';
import type { InboxRow } from '../../src/store/types.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');

function row(n: number, receivedMs: number, over: Partial<InboundMessage> = {}): InboxRow {
  const message: InboundMessage = {
    channel: 'douyin',
    platformMsgId: `p${n}`,
    conversationKey: 'k',
    platformUserId: 'c',
    sentAt: T0 + receivedMs,
    from: 'customer',
    kind: 'text',
    text: `m${n}`,
    attachments: [],
    meta: { serverMessageId: `p${n}` },
    ...over,
  };
  return {
    id: `r${n}`,
    channel: 'douyin',
    platformMsgId: message.platformMsgId,
    conversationId: 'conv',
    sentAt: message.sentAt,
    from: message.from,
    status: 'pending',
    message,
    receivedAt: new Date(T0 + receivedMs).toISOString(),
    processedAt: null,
    error: null,
  };
}

describe('which pending rows form the next turn', () => {
  it('waits for the head to settle, then for a message that came within its settle time', () => {
    const rows = [row(1, 0), row(2, 100)];
    expect(nextTurn(rows, 250, T0 + 200)).toEqual({ waitMs: 50 });
    expect(nextTurn(rows, 250, T0 + 260)).toEqual({ waitMs: 90 });
    expect(nextTurn(rows, 250, T0 + 350)).toEqual({ rows });
  });

  it('leaves a message that came after the settle time, and one that is no customer text or photo, to the next turn', () => {
    expect(nextTurn([row(1, 0), row(2, 300)], 250, T0 + 1000)).toEqual({ rows: [row(1, 0)] });
    const click = row(2, 10, { kind: 'choice', choiceId: 'confirm_yes' });
    expect(nextTurn([row(1, 0), click, row(3, 20)], 250, T0 + 1000)).toEqual({ rows: [row(1, 0)] });
    const agent = row(2, 10, { from: 'agent' });
    expect(nextTurn([agent, row(3, 20)], 250, T0 + 1000)).toEqual({ rows: [agent] });
  });

  it('with no settle time takes every pending text or photo, up to the cap', () => {
    const backlog = Array.from({ length: MAX_TURN_ROWS + 3 }, (_, i) => row(i, i * 5000));
    expect(nextTurn(backlog, 0, T0 + 60_000)).toEqual({ rows: backlog.slice(0, MAX_TURN_ROWS) });
  });

  it('merges a turn into one message: texts one per line, every photo, the latest routing data', () => {
    const photo = { kind: 'image', mime: 'image/png', evidenceId: 'ev1' } as InboundMessage['attachments'][number];
    const merged = mergeTurn([row(1, 0).message, row(2, 5, { kind: 'image', text: '[图片]', attachments: [photo] }).message, row(3, 9).message]);
    expect(merged).toMatchObject({ kind: 'text', text: 'm1\nm3', attachments: [photo], platformMsgId: 'p3', meta: { serverMessageId: 'p3' } });
  });
});

const POISON = '这条消息会让机器人崩溃';

describe('a turn through the pipeline', () => {
  let h: Harness;
  const turns: string[][] = [];
  const bot: BotHandler = async ({ turn, reply }) => {
    const texts = turn.map((m) => m.text);
    turns.push(texts);
    if (texts.some((t) => t.includes(POISON))) throw new TypeError('Cannot read properties of undefined (reading "slots")');
    reply(`收到：${texts.join(' / ')}`);
  };

  beforeAll(async () => {
    // Both messages of a turn are posted well within this settle time.
    h = await startHarness({ bot, env: { INBOX_SETTLE_MS: '1000' } });
  });
  afterAll(async () => h?.stop());

  async function quick(visitorId: string, texts: string[]): Promise<string> {
    const base = Date.now();
    for (const [i, text] of texts.entries()) {
      const res = await fetch(`${h.baseUrl}/simulator/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `asa_visitor=${visitorId}` },
        body: JSON.stringify({ visitorId, clientMsgId: `q${i}`, sentAt: base + i, text }),
      });
      expect(res.status).toBe(202);
    }
    const conv = await waitFor(() => h.services.store.findConversation('web', visitorId));
    await waitFor(async () => (await h.services.store.listPendingInbound(conv.id, 10)).length === 0, { what: `${visitorId} drained` });
    return conv.id;
  }

  it('reads two quick messages together and answers once, under the first row’s key', async () => {
    const convId = await quick('turn-ann', ['我的锅底涂层掉了', '6915000000000000045']);
    expect(turns).toContainEqual(['我的锅底涂层掉了', '6915000000000000045']);
    const rows = await h.services.store.listInbound(convId, 10);
    expect(rows.map((r) => r.status)).toEqual(['processed', 'processed']);
    const out = await h.services.store.listOutbound({ conversationId: convId, limit: 10 });
    expect(out.map((o) => [o.key, o.reply.text])).toEqual([[outboxKey('b', rows[0]?.id ?? '', 0), '收到：我的锅底涂层掉了 / 6915000000000000045']]);

    // Replayed (a crash after the commit, before the rows were marked): the same reply, never a second one.
    for (const r of rows) await h.services.store.setInboundStatus(r.id, 'pending');
    const calls = turns.length;
    await triggerConversation(h.services, convId);
    await waitFor(async () => (await h.services.store.listPendingInbound(convId, 10)).length === 0, { what: 'replayed turn settled' });
    expect(turns).toHaveLength(calls);
    expect(await h.services.store.listOutbound({ conversationId: convId, limit: 10 })).toHaveLength(1);
  });

  it('keeps the error boundary per message: a poison message in a turn fails alone, the other is answered', async () => {
    const convId = await quick('turn-bob', ['你好', `杯子漏水了，${POISON}`]);
    // Tried together, then each alone.
    expect(turns.slice(-3)).toEqual([['你好', `杯子漏水了，${POISON}`], ['你好'], [`杯子漏水了，${POISON}`]]);
    const rows = await h.services.store.listInbound(convId, 10);
    expect(rows.map((r) => [r.status, r.error])).toEqual([
      ['processed', null],
      ['failed', 'bot_error:TypeError'],
    ]);
    const out = await h.services.store.listOutbound({ conversationId: convId, limit: 10 });
    expect(out.map((o) => o.key)).toEqual([outboxKey('b', rows[0]?.id ?? '', 0), outboxKey('b', rows[1]?.id ?? '', 0)]);
    expect(out[0]?.reply.text).toBe('收到：你好');
    expect(out[1]?.reply.text).toMatch(/出了点问题/);
    expect((await h.services.store.getConversation(convId))?.mode).toBe('human');
  });
});
