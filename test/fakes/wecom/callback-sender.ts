/**
 * Sends WeCom callbacks to our /webhooks/wecom like WeCom does (platforms.md §1, §7): URL verification GET,
 * kf_msg_or_event POSTs encrypted and signed with @wecom/crypto (receive id = corp id), the identical body
 * re-sent up to 3 times when no 200 arrives within the timeout (5 s on the platform, shorter in tests), and a
 * duplicate mode that sends the same body several times on purpose.
 */
import { randomBytes } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';
import type { FakeClock } from './model.js';

export interface CallbackSenderOptions {
  url: string;
  corpId: string;
  token: string;
  encodingAesKey: string;
  clock?: FakeClock;
  /** WeCom waits 5 s before re-sending. */
  retryAfterMs?: number;
  retries?: number;
  /** Extra identical sends of every callback, in parallel with the first (duplicate mode). */
  duplicates?: number;
}

export interface SignedRequest {
  query: string;
  body: string;
}

export interface Delivery {
  attempts: { status: number | null; ms: number }[];
  acked: boolean;
}

export class CallbackSender {
  readonly deliveries: Delivery[] = [];
  private readonly clock: FakeClock;

  constructor(private readonly opts: CallbackSenderOptions) {
    this.clock = opts.clock ?? { now: () => Date.now() };
  }

  /** Signs `encrypted` for the query string; `timestamp` defaults to the clock. */
  signQuery(encrypted: string, extra: Record<string, string> = {}, timestamp?: string): string {
    const ts = timestamp ?? String(Math.floor(this.clock.now() / 1000));
    const nonce = String(randomBytes(4).readUInt32BE(0));
    const sig = getSignature(this.opts.token, ts, nonce, encrypted);
    return new URLSearchParams({ msg_signature: sig, timestamp: ts, nonce, ...extra }).toString();
  }

  /** The encrypted envelope for any decrypted XML, as WeCom would POST it. */
  seal(innerXml: string, opts: { receiveId?: string; timestamp?: string } = {}): SignedRequest {
    const encrypted = encrypt(this.opts.encodingAesKey, innerXml, opts.receiveId ?? this.opts.corpId);
    const body = `<xml><ToUserName><![CDATA[${this.opts.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    return { query: this.signQuery(encrypted, {}, opts.timestamp), body };
  }

  kfEventXml(openKfId: string, token: string): string {
    const ts = Math.floor(this.clock.now() / 1000);
    return (
      `<xml><ToUserName><![CDATA[${this.opts.corpId}]]></ToUserName><CreateTime>${ts}</CreateTime>` +
      `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event>` +
      `<Token><![CDATA[${token}]]></Token><OpenKfId><![CDATA[${openKfId}]]></OpenKfId></xml>`
    );
  }

  /** URL verification: returns what our server answered and how long it took (WeCom wants ≤1 s). */
  async verifyUrl(): Promise<{ status: number; body: string; ms: number; expected: string }> {
    const expected = String(randomBytes(8).readBigUInt64BE(0));
    const echostr = encrypt(this.opts.encodingAesKey, expected, this.opts.corpId);
    const started = Date.now();
    const res = await fetch(`${this.opts.url}?${this.signQuery(echostr, { echostr })}`);
    return { status: res.status, body: await res.text(), ms: Date.now() - started, expected };
  }

  /** One kf_msg_or_event callback with WeCom's retry and (optionally) duplicate behaviour. */
  async deliver(openKfId: string, token: string): Promise<Delivery> {
    return this.deliverSigned(this.seal(this.kfEventXml(openKfId, token)));
  }

  async deliverSigned(req: SignedRequest): Promise<Delivery> {
    const extra = Array.from({ length: this.opts.duplicates ?? 0 }, () => this.post(req, this.opts.retryAfterMs ?? 5000));
    const delivery: Delivery = { attempts: [], acked: false };
    const retries = this.opts.retries ?? 3;
    for (let i = 0; i <= retries; i++) {
      const started = Date.now();
      const status = await this.post(req, this.opts.retryAfterMs ?? 5000);
      delivery.attempts.push({ status, ms: Date.now() - started });
      if (status === 200) {
        delivery.acked = true;
        break;
      }
    }
    await Promise.all(extra);
    this.deliveries.push(delivery);
    return delivery;
  }

  /** POSTs the identical bytes; null when nothing came back within `timeoutMs`. */
  async post(req: SignedRequest, timeoutMs: number): Promise<number | null> {
    try {
      const res = await fetch(`${this.opts.url}?${req.query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: req.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return null;
    }
  }
}
