/**
 * The WeCom side of the message → reply scenarios, built from the test fake (test/fakes/wecom): a local kf API
 * server the app syncs from and sends to, and WeCom's callback sender (encrypted, signed, retried after 5 s
 * like the platform). Credentials are fresh random values per run that only this fake and the app share.
 */
import { randomBytes } from 'node:crypto';
import { CallbackSender, startFakeWecom, type FakeWecom } from '../test/fakes/wecom/index.js';
import type { Delivery } from '../test/fakes/wecom/callback-sender.js';

export const KF = 'wkBENCH01';

/** What shoppers write first; the bot's answer wording is its own business, only its arrival is measured. */
const FIRST_MESSAGES = [
  '你好，我买的裙子开线了，订单号6919000011112222333',
  '快递三天都没动了，什么时候能到？',
  '收到的保温杯是坏的，想退货',
  '尺码买大了可以换小一码吗',
];

export interface WecomRig {
  fake: FakeWecom;
  /** The WECOM_* variables that point the app at this fake. */
  appEnv: Record<string, string>;
  /** Directs the callbacks to the app's /webhooks/wecom. */
  aim(appUrl: string): void;
  /** The customer writes (appended to the kf log), then WeCom calls back; resolves with the callback's outcome. */
  customerWrites(userId: string, n: number): { at: number; delivered: Promise<Delivery> };
  close(): Promise<void>;
}

export async function startWecomRig(): Promise<WecomRig> {
  const corpId = `wwbench${randomBytes(5).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const token = randomBytes(16).toString('hex');
  // 43 characters that decode as base64 to the 32-byte AES key, like WeCom's EncodingAESKey.
  const encodingAesKey = randomBytes(22).toString('hex').slice(0, 43);
  const fake = await startFakeWecom({ corpId, secret, openKfIds: [KF] });
  let sender: CallbackSender | null = null;
  return {
    fake,
    appEnv: {
      WECOM_CORP_ID: corpId,
      WECOM_KF_SECRET: secret,
      WECOM_TOKEN: token,
      WECOM_ENCODING_AES_KEY: encodingAesKey,
      WECOM_API_BASE: fake.baseUrl,
    },
    aim(appUrl) {
      sender = new CallbackSender({ url: `${appUrl}/webhooks/wecom`, corpId, token, encodingAesKey });
    },
    customerWrites(userId, n) {
      if (!sender) throw new Error('aim() the callbacks at the app first');
      fake.customerText(KF, userId, FIRST_MESSAGES[n % FIRST_MESSAGES.length] as string);
      const at = Date.now();
      return { at, delivered: sender.deliver(KF, fake.callbackToken(KF)) };
    },
    close: () => fake.close(),
  };
}

/** The time of the first message the fake accepted for each customer (its own clock, at the send call). */
export class FirstReplies {
  private scanned = 0;
  private readonly first = new Map<string, number>();

  constructor(private readonly fake: FakeWecom) {}

  at(userId: string): number | undefined {
    this.scan();
    return this.first.get(userId);
  }

  /** Polls until every user has a reply or `timeoutMs` passes; returns the users still without one. */
  async waitFor(userIds: string[], timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let missing = userIds.filter((u) => this.at(u) === undefined);
    while (missing.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      missing = missing.filter((u) => this.at(u) === undefined);
    }
    return missing;
  }

  private scan(): void {
    const sent = this.fake.sent;
    for (; this.scanned < sent.length; this.scanned++) {
      const m = sent[this.scanned];
      if (m && !this.first.has(m.touser)) this.first.set(m.touser, m.at);
    }
  }
}
