/**
 * A shopper on the web simulator, driven through HTTP exactly like the page: posts a message (text, a
 * clicked choice or a photo) and waits for the bot's answer to it in the transcript.
 */
import type { Choice } from '../../src/core/types.js';
import { waitFor, type Harness } from '../helpers/harness.js';

// 1×1 PNG; each photo gets a different trailing chunk so its sha256 differs.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export interface BotLine {
  text: string;
  choices: Choice[];
}

interface Entry {
  from: string;
  text: string;
  choices?: Choice[];
  status?: string;
}

export class WebCustomer {
  private n = 0;
  private lastChoices: Choice[] = [];

  constructor(
    private readonly h: Harness,
    readonly visitorId: string,
  ) {}

  async transcript(): Promise<Entry[]> {
    const res = await fetch(`${this.h.baseUrl}/simulator/api/messages`, { headers: { cookie: `asa_visitor=${this.visitorId}` } });
    return ((await res.json()) as { messages: Entry[] }).messages;
  }

  /** What the shopper sees from our side: bot replies and system notices (the hand-over to a person). */
  async botLines(): Promise<Entry[]> {
    return (await this.transcript()).filter((m) => m.from === 'bot' || m.from === 'system');
  }

  /** Waits until the bot has said more than `before` lines, all delivered; returns the newest. */
  async nextReply(before: number, timeoutMs = 20_000): Promise<BotLine> {
    const lines = await waitFor(
      async () => {
        const bot = await this.botLines();
        return bot.length > before && bot.every((b) => b.status === 'sent') ? bot : null;
      },
      { timeoutMs, what: `a bot reply for ${this.visitorId}` },
    );
    const last = lines[lines.length - 1] as Entry;
    this.lastChoices = last.choices ?? [];
    return { text: last.text, choices: this.lastChoices };
  }

  private async post(body: Record<string, unknown> | FormData): Promise<BotLine> {
    const before = (await this.botLines()).length;
    await this.send(body);
    return this.nextReply(before);
  }

  private async send(body: Record<string, unknown> | FormData): Promise<void> {
    const init: RequestInit =
      body instanceof FormData
        ? { method: 'POST', headers: { cookie: `asa_visitor=${this.visitorId}` }, body }
        : { method: 'POST', headers: { cookie: `asa_visitor=${this.visitorId}`, 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const res = await fetch(`${this.h.baseUrl}/simulator/api/messages`, init);
    if (res.status !== 202) throw new Error(`simulator refused the message: ${res.status} ${await res.text()}`);
  }

  say(text: string): Promise<BotLine> {
    this.n += 1;
    return this.post({ visitorId: this.visitorId, clientMsgId: `m${this.n}`, text });
  }

  /** Writes without waiting for an answer (a person owns the chat: the bot stays silent). */
  write(text: string): Promise<void> {
    this.n += 1;
    return this.send({ visitorId: this.visitorId, clientMsgId: `m${this.n}`, text });
  }

  /** Clicks a button the bot offered last. */
  click(choiceId: string): Promise<BotLine> {
    const choice = this.lastChoices.find((c) => c.id === choiceId);
    if (!choice) throw new Error(`choice ${choiceId} was not offered (offered: ${this.lastChoices.map((c) => c.id).join(', ')})`);
    this.n += 1;
    return this.post({ visitorId: this.visitorId, clientMsgId: `m${this.n}`, text: choice.label, choiceId });
  }

  photo(): Promise<BotLine> {
    this.n += 1;
    const form = new FormData();
    form.append('visitorId', this.visitorId);
    form.append('clientMsgId', `m${this.n}`);
    const bytes = Buffer.concat([PNG, Buffer.from(`${this.visitorId}-${this.n}`)]);
    form.append('image', new Blob([bytes]), `photo-${this.n}.png`);
    return this.post(form);
  }
}
