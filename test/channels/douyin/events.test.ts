import { describe, expect, it } from 'vitest';
import { bodyDigest, mapEvent, parseEnvelope, toEpochMs, type MapContext } from '../../../src/channels/douyin/events.js';
import { AppError } from '../../../src/core/errors.js';

const ctx: MapContext = { msgIdHeader: 'mid-1', clientKey: 'awkey', businessOpenId: 'biz', now: 1_718_000_999_000, bodyDigest: 'd1' };
const receive = (content: unknown, extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ event: 'im_receive_msg', client_key: 'awkey', from_user_id: 'cust', to_user_id: 'biz', log_id: 'L', content, ...extra }));
const baseContent = { conversation_short_id: '@conv1', server_message_id: '@msg1', conversation_type: 1, create_time: 1718000000123, source: '' };
const map = (raw: Buffer, c: Partial<MapContext> = {}) => mapEvent(parseEnvelope(raw), { ...ctx, ...c });
const messageOf = (raw: Buffer) => {
  const m = map(raw);
  if (m.type !== 'message') throw new Error(`expected a message, got ${m.type}`);
  return m.message;
};

describe('douyin event mapping', () => {
  it('maps a text message with routing meta', () => {
    const m = messageOf(receive({ ...baseContent, message_type: 'text', text: '我要退货' }));
    expect(m).toMatchObject({
      channel: 'douyin',
      platformMsgId: '@msg1',
      conversationKey: 'cust',
      platformUserId: 'cust',
      sentAt: 1718000000123,
      from: 'customer',
      kind: 'text',
      text: '我要退货',
      attachments: [],
      meta: { conversationId: '@conv1', msgId: '@msg1', msgAt: 1718000000123, scene: 'im_replay_msg' },
    });
  });

  it('gives the same message for content as an object and as a JSON string', () => {
    const content = { ...baseContent, message_type: 'text', text: '你好' };
    expect(messageOf(receive(JSON.stringify(content)))).toEqual(messageOf(receive(content)));
  });

  it('maps images, video shares, emoji, cards and unknown types', () => {
    const kinds = ['user_local_image', 'image', 'video', 'emoji', 'retain_consult_card', 'hologram'].map((t) =>
      messageOf(receive({ ...baseContent, message_type: t })),
    );
    expect(kinds.map((k) => [k.kind, k.text, k.attachments])).toEqual([
      ['image', '[图片]', [{ kind: 'image' }]],
      ['image', '[图片]', [{ kind: 'image' }]],
      ['video', '[视频分享]', []],
      ['emoji', '[表情]', []],
      ['card', '[卡片]', []],
      ['unknown', '[暂不支持的消息类型]', []],
    ]);
  });

  it('falls back to the Msg-Id header and accepts 10-digit seconds', () => {
    const m = messageOf(receive({ conversation_short_id: '@c', message_type: 'text', text: 'x', create_time: 1718000000 }));
    expect(m.platformMsgId).toBe('mid-1');
    expect(m.sentAt).toBe(1718000000000);
    expect(toEpochMs(undefined, 5)).toBe(5);
  });

  it('maps the enter event to enter_session with its scene', () => {
    const raw = Buffer.from(
      JSON.stringify({
        event: 'im_enter_direct_msg',
        from_user_id: 'cust',
        to_user_id: 'biz',
        content: JSON.stringify({ conversation_short_id: '@conv1', server_message_id: '@enter1', create_time: 1718000000500 }),
      }),
    );
    expect(messageOf(raw)).toMatchObject({
      kind: 'event',
      from: 'customer',
      event: { type: 'enter_session', data: {} },
      meta: { conversationId: '@conv1', msgId: '@enter1', msgAt: 1718000000500, scene: 'im_enter_direct_msg' },
    });
  });

  it('maps a recall to a recalled event that never collides with the recalled id', () => {
    const raw = Buffer.from(
      JSON.stringify({ event: 'im_recall_msg', from_user_id: 'cust', to_user_id: 'biz', msg_id: '@msg1', content: '{"server_message_id":"@msg1"}' }),
    );
    const m = messageOf(raw);
    expect(m.event).toEqual({ type: 'recalled', data: { platformMsgId: '@msg1' } });
    expect(m.platformMsgId).not.toBe('@msg1');
    expect(m.from).toBe('system');
  });

  it('ignores our own echo and records a person answering from the app', () => {
    const send = (source: string) =>
      Buffer.from(
        JSON.stringify({
          event: 'im_send_msg',
          from_user_id: 'biz',
          to_user_id: 'cust',
          content: { ...baseContent, message_type: 'text', text: '好的', source },
        }),
      );
    expect(map(send('awkey'))).toEqual({ type: 'echo', platformMsgId: '@msg1' });
    const agent = messageOf(send(''));
    expect(agent).toMatchObject({ from: 'agent', conversationKey: 'cust', platformUserId: 'cust', kind: 'text', meta: {} });
  });

  it('records unknown events with a unique id', () => {
    const raw = Buffer.from(JSON.stringify({ event: 'authorize', from_user_id: 'someone', content: {} }));
    const m = messageOf(raw);
    expect(m).toMatchObject({ kind: 'event', from: 'system', event: { type: 'unknown', data: { event: 'authorize' } } });
    expect(m.platformMsgId).toBe('authorize:mid-1');
    const noHeader = mapEvent(parseEnvelope(raw), { ...ctx, msgIdHeader: null, bodyDigest: bodyDigest(raw) });
    expect(noHeader.type === 'message' && noHeader.message.platformMsgId).toBe(`authorize:${bodyDigest(raw)}`);
  });

  it('answers the verification challenge as received', () => {
    const raw = Buffer.from('{"event":"verify_webhook","client_key":"","content":{"challenge":12345}}');
    expect(map(raw)).toEqual({ type: 'verify', challenge: 12345 });
  });

  it('rejects malformed bodies with 400', () => {
    const bad = ['not json', '[1,2]', '{"no_event":1}', '{"event":"im_receive_msg","content":"{broken"}', '{"event":"im_receive_msg","content":42}'];
    for (const b of bad) {
      let status = 0;
      try {
        parseEnvelope(Buffer.from(b));
      } catch (err) {
        status = err instanceof AppError ? err.status : 500;
      }
      expect(status, b).toBe(400);
    }
  });
});
