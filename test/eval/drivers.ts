/**
 * One app for the whole evaluation, built the way production builds it (startHarness: HTTP + workers, real
 * Redis and SQLite, the real dialogue bot), with the three ways in: the web simulator's HTTP API, the WeCom
 * fake (encrypted callbacks → sync_msg → send_msg) and the Douyin fake (signed webhooks → reply API).
 *
 * What the shopper "hears" is read the same way on every channel: after each action the runner waits until
 * the message is stored and handled and nothing is left pending in the outbox, then takes the outbox rows
 * written since, and checks that each one reached the platform. No new row at all is silence.
 */
import type { Choice, Channel } from '../../src/core/types.js';
import { readState, type DialogueState } from '../../src/dialogue/state.js';
import type { Conversation, OutboxRow } from '../../src/store/types.js';
import { DY } from '../channels/douyin/rig.js';
import { KF, PNG, SECRET, VECTOR, wecomEnv } from '../channels/wecom/env.js';
import { FakeDouyin } from '../fakes/douyin/server.js';
import { CallbackSender, startFakeWecom, type FakeWecom } from '../fakes/wecom/index.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import type { EvalChannel, ShopperTurn } from './types.js';

export interface Heard {
  /** Every reply written for this turn, in order (empty: silence). */
  replies: { text: string; choices: Choice[] }[];
  state: DialogueState;
  mode: Conversation['mode'];
  conversationId: string;
}

export interface Shopper {
  act(turn: ShopperTurn): Promise<Heard>;
}

export interface EvalApp {
  harness: Harness;
  shopper(channel: EvalChannel, name: string): Shopper;
  /** Problems the fakes recorded (refused API calls): must stay empty. */
  refusals(): unknown[];
  stop(): Promise<void>;
}

const png = (tag: string): Buffer => Buffer.concat([PNG, Buffer.from(tag)]);

export async function startEvalApp(): Promise<EvalApp> {
  const wecom: FakeWecom = await startFakeWecom({ corpId: VECTOR.corpId, secret: SECRET, openKfIds: [KF] });
  const douyin = await FakeDouyin.start(DY);
  const harness = await startHarness({
    env: {
      ...wecomEnv(wecom.baseUrl),
      DOUYIN_CLIENT_KEY: DY.clientKey,
      DOUYIN_CLIENT_SECRET: DY.clientSecret,
      DOUYIN_ACCESS_TOKEN: DY.accessToken,
      DOUYIN_BUSINESS_OPEN_ID: DY.businessOpenId,
      DOUYIN_API_BASE: douyin.baseUrl,
      // Two texts sent one right after the other (one webhook answered, then the next) are read as one turn;
      // less than the production 250 ms, since every Douyin and simulator turn waits it out.
      INBOX_SETTLE_MS: '150',
      // Real channels are configured, so the simulator is off unless asked for.
      SIMULATOR: 'on',
    },
  });
  wecom.connect(new CallbackSender({ url: `${harness.baseUrl}/webhooks/wecom`, corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key, retryAfterMs: 2000, duplicates: 1 }));
  douyin.setWebhook(`${harness.baseUrl}/webhooks/douyin`);
  const { store } = harness.services;

  function shopper(channel: EvalChannel, name: string): Shopper {
    const user = channel === 'wecom' ? `wmEV${name}` : `ev-${name}`;
    const key = channel === 'wecom' ? `${KF}:${user}` : user;
    let offered: Choice[] = [];
    let n = 0;
    const ch: Channel = channel;

    /**
     * Sends the turn the way the platform would; returns how many messages it sent. Texts sent together reach
     * WeCom before its sync (one page), and Douyin / the simulator one right after the other (within the settle time).
     */
    async function send(turn: ShopperTurn): Promise<number> {
      if (typeof turn === 'object' && 'together' in turn) {
        if (channel === 'wecom') {
          for (const text of turn.together) wecom.customerText(KF, user, text);
          await wecom.settle();
        } else {
          for (const text of turn.together) await send(text);
        }
        return turn.together.length;
      }
      n += 1;
      const label = typeof turn === 'object' && 'click' in turn ? offered.find((c) => c.id === turn.click)?.label : undefined;
      if (typeof turn === 'object' && 'click' in turn && !label) throw new Error(`button ${turn.click} was not offered (offered: ${offered.map((c) => c.id).join(', ') || 'none'})`);
      const text = typeof turn === 'string' ? turn : label;
      const choiceId = typeof turn === 'object' && 'click' in turn ? turn.click : undefined;
      if (channel === 'web') {
        // The simulator knows its visitor by the cookie, as the page's browser sends it.
        const cookie = `asa_visitor=${user}`;
        const init: RequestInit =
          text === undefined
            ? { method: 'POST', headers: { cookie }, body: webPhoto(user, n) }
            : { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ clientMsgId: `m${n}`, text, ...(choiceId ? { choiceId } : {}) }) };
        const res = await fetch(`${harness.baseUrl}/simulator/api/messages`, init);
        if (res.status !== 202) throw new Error(`simulator refused the message: ${res.status} ${await res.text()}`);
      } else if (channel === 'wecom') {
        if (text === undefined) wecom.customerMedia(KF, user, 'image', png(`${user}-${n}`));
        else wecom.customerText(KF, user, text, choiceId);
        await wecom.settle();
      } else {
        // Douyin has no buttons: the shopper types the label back.
        const r = text === undefined ? await douyin.customerSendsImage(user, png(`${user}-${n}`)) : await douyin.customerSays(user, text);
        if (!r.report.ok) throw new Error(`our Douyin webhook refused the message: ${JSON.stringify(r.report)}`);
      }
      return 1;
    }

    /** The platform got every reply we marked sent (WeCom by our msgid; Douyin by count, it keeps no key). */
    function delivered(rows: OutboxRow[]): boolean {
      const sent = rows.filter((r) => r.status === 'sent' && r.author !== 'agent');
      if (channel === 'wecom') return sent.every((r) => wecom.sent.some((m) => m.touser === user && (m.msgid === r.key || m.msgid.startsWith(`${r.key}_`))));
      if (channel === 'douyin') return douyin.sendsTo(user).length >= sent.length;
      return true;
    }

    return {
      async act(turn) {
        const conv0 = await store.findConversation(ch, key);
        const inboxBefore = conv0 ? (await store.listInbound(conv0.id, 1000)).length : 0;
        const before = new Set(conv0 ? (await store.listOutbound({ conversationId: conv0.id, limit: 1000 })).map((r) => r.id) : []);
        const sent = await send(turn);
        const conv = await waitFor(() => store.findConversation(ch, key), { what: `conversation ${key}` });
        const rows = await waitFor(
          async () => {
            const inbox = await store.listInbound(conv.id, 1000);
            if (inbox.length < inboxBefore + sent || inbox.some((r) => r.status === 'pending')) return null;
            const out = await store.listOutbound({ conversationId: conv.id, limit: 1000 });
            return out.some((r) => r.status === 'pending') ? null : out;
          },
          { what: `${key} handled`, intervalMs: 20 },
        );
        const fresh = rows.filter((r) => !before.has(r.id) && r.author !== 'agent').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        await waitFor(() => delivered(rows), { what: `replies to ${key} reached ${channel}` });
        if (channel === 'douyin') await Promise.allSettled(douyin.echoes);
        const replies = fresh.map((r) => ({ text: r.reply.text, choices: r.reply.choices ?? [] }));
        const lastChoices = replies.at(-1)?.choices;
        if (lastChoices && lastChoices.length > 0) offered = lastChoices;
        else if (replies.length > 0) offered = [];
        const now = (await store.findConversation(ch, key)) ?? conv;
        return { replies, state: readState(now.state), mode: now.mode, conversationId: now.id };
      },
    };
  }

  return {
    harness,
    shopper,
    refusals: () => [...wecom.refusals, ...douyin.refusals],
    async stop() {
      await wecom.close();
      await douyin.stop();
      await harness.stop();
    },
  };
}

function webPhoto(visitorId: string, n: number): FormData {
  const form = new FormData();
  form.append('visitorId', visitorId);
  form.append('clientMsgId', `m${n}`);
  form.append('image', new Blob([png(`${visitorId}-${n}`)]), `photo-${n}.png`);
  return form;
}
