/**
 * The same scripted dialogues through the WeCom fake: callbacks (encrypted, duplicated) → sync_msg → the
 * dialogue → send_msg, choices as msgmenu and clicks coming back with their menu id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Choice } from '../../src/core/types.js';
import { CallbackSender, startFakeWecom, type FakeWecom } from '../fakes/wecom/index.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { KF, PNG, SECRET, VECTOR, wecomEnv } from '../channels/wecom/env.js';
import { play, type Driver } from './play.js';
import { SCRIPTS } from './scripts.js';
import type { BotLine } from './web-customer.js';

let app: Harness;
let fake: FakeWecom;
let users = 0;

beforeAll(async () => {
  fake = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, openKfIds: [KF] });
  app = await startHarness({
    env: wecomEnv(fake.baseUrl),
  });
  fake.connect(new CallbackSender({ url: `${app.baseUrl}/webhooks/wecom`, corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key, retryAfterMs: 2000, duplicates: 1 }));
});
afterAll(async () => {
  await fake?.close();
  await app?.stop();
});

/** A WeCom customer: what they see is what reached the fake's send_msg, matched to our outbox rows. */
function wecomDriver(): Driver {
  users += 1;
  const user = `wmDLG${String(users).padStart(5, '0')}`;
  const key = `${KF}:${user}`;
  let lastChoices: Choice[] = [];
  let photos = 0;
  const { store } = app.services;
  const conversation = () => waitFor(() => store.findConversation('wecom', key));
  const delivered = () => fake.sent.filter((m) => m.touser === user).length;

  async function act(send: () => void): Promise<BotLine> {
    const before = delivered();
    send();
    await waitFor(() => delivered() > before, { what: `a WeCom reply to ${user}` });
    await fake.settle();
    const conv = await conversation();
    // The newest sent row is the reply; its key is the msgid WeCom got.
    const rows = await waitFor(async () => {
      const all = await store.listOutbound({ conversationId: conv.id });
      const pending = all.filter((r) => r.status === 'pending');
      return pending.length === 0 ? all.filter((r) => r.status === 'sent') : null;
    });
    const last = rows.sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? '') || a.createdAt.localeCompare(b.createdAt)).at(-1);
    if (!last) throw new Error('no reply stored');
    expect(fake.sent.some((m) => m.touser === user && (m.msgid === last.key || m.msgid.startsWith(`${last.key}_`)))).toBe(true);
    lastChoices = last.reply.choices ?? [];
    if (lastChoices.length > 0) {
      const menu = fake.sent.filter((m) => m.touser === user && m.msgtype === 'msgmenu').at(-1);
      expect(menu?.body).toBeDefined();
    }
    return { text: last.reply.text, choices: lastChoices };
  }

  return {
    say: (text) => act(() => fake.customerText(KF, user, text)),
    click: (id) => {
      const choice = lastChoices.find((c) => c.id === id);
      if (!choice) throw new Error(`choice ${id} was not offered`);
      return act(() => fake.customerText(KF, user, choice.label, id));
    },
    photo: () => {
      photos += 1;
      return act(() => fake.customerMedia(KF, user, 'image', Buffer.concat([PNG, Buffer.from(`${user}-${photos}`)])));
    },
    conversation,
    cases: async () => (await store.listCases({ conversationId: (await conversation()).id })).items,
  };
}

describe('scripted intake dialogues through the WeCom fake', () => {
  for (const script of SCRIPTS) {
    it(script.name, async () => {
      await play(script, wecomDriver());
      expect(fake.refusals).toEqual([]);
    });
  }
});
