/**
 * Plays WeCom's 智能机器人 side of the JSON callback (platforms.md §1, WeCom p100719/p101031): encrypts with
 * receive id "" and signs a message, POSTs `{"encrypt":…}`, and opens the passive reply
 * `{encrypt, msgsignature, timestamp, nonce}`, checking its signature and receive id like WeCom would.
 */
import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

export interface BotSenderOptions {
  url: string;
  token: string;
  encodingAesKey: string;
  now(): number;
}

export interface BotMention {
  msgid?: string;
  chatid?: string;
  chattype?: 'group' | 'single';
  userid?: string;
  text: string;
}

export class BotSender {
  constructor(private readonly opts: BotSenderOptions) {}

  message(m: BotMention): Record<string, unknown> {
    return {
      msgid: m.msgid ?? `CAIQ${randomBytes(9).toString('base64url')}`,
      aibotid: 'AIBOTID1',
      chatid: m.chatid ?? 'wrGROUP0001',
      chattype: m.chattype ?? 'group',
      from: { userid: m.userid ?? 'member1' },
      response_url: 'https://example.invalid/response',
      msgtype: 'text',
      text: { content: m.text },
    };
  }

  /** Query string and body for a plaintext message; `timestamp` defaults to now. */
  seal(plaintext: Record<string, unknown>, opts: { timestamp?: string; receiveId?: string } = {}): { query: string; body: string } {
    const encrypted = encrypt(this.opts.encodingAesKey, JSON.stringify(plaintext), opts.receiveId ?? '');
    const timestamp = opts.timestamp ?? String(Math.floor(this.opts.now() / 1000));
    const nonce = String(randomBytes(4).readUInt32BE(0));
    const msg_signature = getSignature(this.opts.token, timestamp, nonce, encrypted);
    return { query: new URLSearchParams({ msg_signature, timestamp, nonce }).toString(), body: JSON.stringify({ encrypt: encrypted }) };
  }

  async post(req: { query: string; body: string | Buffer }): Promise<{ status: number; text: string }> {
    const res = await fetch(`${this.opts.url}?${req.query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: req.body });
    return { status: res.status, text: await res.text() };
  }

  /** Sends a mention and opens the reply (null for an empty 200). */
  async mention(m: BotMention | Record<string, unknown>): Promise<{ status: number; reply: Record<string, unknown> | null; raw: string }> {
    const plaintext = 'text' in m && typeof m.text === 'string' ? this.message(m as BotMention) : (m as Record<string, unknown>);
    const res = await this.post(this.seal(plaintext));
    return { status: res.status, reply: res.status === 200 && res.text ? this.open(res.text) : null, raw: res.text };
  }

  /** Verifies and decrypts a passive reply as WeCom would. */
  open(text: string): Record<string, unknown> {
    const r = JSON.parse(text) as { encrypt: string; msgsignature: string; timestamp: string; nonce: string };
    if (typeof r.timestamp !== 'string' || typeof r.nonce !== 'string') throw new Error('timestamp and nonce must be strings');
    if (getSignature(this.opts.token, r.timestamp, r.nonce, r.encrypt) !== r.msgsignature) throw new Error('reply signature mismatch');
    const { message, id } = decrypt(this.opts.encodingAesKey, r.encrypt);
    if (id !== '') throw new Error(`reply receive id must be empty, got ${id}`);
    return JSON.parse(message) as Record<string, unknown>;
  }

  async verifyUrl(): Promise<{ status: number; body: string; expected: string }> {
    const expected = String(randomBytes(8).readBigUInt64BE(0));
    const echostr = encrypt(this.opts.encodingAesKey, expected, '');
    const timestamp = String(Math.floor(this.opts.now() / 1000));
    const nonce = '12345';
    const msg_signature = getSignature(this.opts.token, timestamp, nonce, echostr);
    const res = await fetch(`${this.opts.url}?${new URLSearchParams({ msg_signature, timestamp, nonce, echostr }).toString()}`);
    return { status: res.status, body: await res.text(), expected };
  }
}
