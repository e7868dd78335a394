/**
 * The Douyin side of webhook delivery (platforms.md §5, §7): signs sha1(secret + body), sends `Msg-Id`,
 * re-sends the identical body up to 3 times on a non-200 or when no answer comes within the timeout (5 s on
 * the platform, configurable here), and can deliver deliberate duplicates — sequential or concurrent.
 */
import { createHash } from 'node:crypto';

export interface DeliverOptions {
  /** Serialise `content` as a JSON string, like the enter/recall examples. */
  contentAsString?: boolean;
  /** Extra identical deliveries after the first one completed. */
  duplicates?: number;
  /** Identical deliveries fired at the same time as the first one. */
  concurrent?: number;
  /** Replace the computed signature (hostile tests). */
  signature?: string | null;
  /** Override the Msg-Id header; null omits it. */
  msgId?: string | null;
}

export interface Attempt {
  status: number | null;
  timedOut: boolean;
  body: string;
}

export interface DeliveryReport {
  ok: boolean;
  attempts: Attempt[];
  /** Every delivery's attempts, duplicates included. */
  deliveries: Attempt[][];
}

export interface WebhookSenderOptions {
  url: string;
  clientSecret: string;
  timeoutMs?: number;
  retries?: number;
  retryDelayMs?: number;
}

export function signDouyin(secret: string, body: string | Buffer): string {
  return createHash('sha1').update(secret, 'utf8').update(body).digest('hex');
}

export class DouyinWebhookSender {
  url: string;
  readonly timeoutMs: number;
  readonly retries: number;
  private readonly secret: string;
  private readonly retryDelayMs: number;

  constructor(opts: WebhookSenderOptions) {
    this.url = opts.url;
    this.secret = opts.clientSecret;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.retries = opts.retries ?? 3;
    this.retryDelayMs = opts.retryDelayMs ?? 20;
  }

  /** The URL verification request; answered `{"challenge":…}`. */
  async verify(challenge: number | string, opts: { signed?: boolean } = {}): Promise<{ status: number; body: string }> {
    const raw = JSON.stringify({ event: 'verify_webhook', client_key: '', content: { challenge } });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.signed !== false) headers['x-douyin-signature'] = signDouyin(this.secret, raw);
    const res = await fetch(this.url, { method: 'POST', headers, body: raw });
    return { status: res.status, body: await res.text() };
  }

  async deliver(envelope: Record<string, unknown>, msgId: string | null, opts: DeliverOptions = {}): Promise<DeliveryReport> {
    const body =
      opts.contentAsString && envelope.content !== undefined && typeof envelope.content !== 'string'
        ? { ...envelope, content: JSON.stringify(envelope.content) }
        : envelope;
    const raw = JSON.stringify(body);
    const headerMsgId = opts.msgId === undefined ? msgId : opts.msgId;
    const signature = opts.signature === undefined ? signDouyin(this.secret, raw) : opts.signature;

    const firsts = [this.deliverRaw(raw, signature, headerMsgId)];
    for (let i = 0; i < (opts.concurrent ?? 0); i++) firsts.push(this.deliverRaw(raw, signature, headerMsgId));
    const deliveries = await Promise.all(firsts);
    for (let i = 0; i < (opts.duplicates ?? 0); i++) deliveries.push(await this.deliverRaw(raw, signature, headerMsgId));
    const attempts = deliveries[0] ?? [];
    return { ok: attempts.at(-1)?.status === 200, attempts, deliveries };
  }

  /** One delivery with the platform's retry policy. */
  async deliverRaw(raw: string | Buffer, signature: string | null, msgId: string | null): Promise<Attempt[]> {
    const attempts: Attempt[] = [];
    for (let i = 0; i <= this.retries; i++) {
      const attempt = await this.once(raw, signature, msgId);
      attempts.push(attempt);
      if (attempt.status === 200) break;
      await new Promise((r) => setTimeout(r, this.retryDelayMs));
    }
    return attempts;
  }

  private async once(raw: string | Buffer, signature: string | null, msgId: string | null): Promise<Attempt> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== null) headers['x-douyin-signature'] = signature;
    if (msgId !== null) headers['msg-id'] = msgId;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers,
        body: raw,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { status: res.status, timedOut: false, body: await res.text() };
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return { status: null, timedOut, body: '' };
    }
  }
}
