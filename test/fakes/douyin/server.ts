/**
 * A local Douyin open platform: `/im/send/msg/` with msg_id window checks, the message resources API (uploads
 * only: user_local_image / user_local_video), user tokens that expire with the OAuth refresh endpoint
 * (oauth.ts), token errors 28001003/28001008, the transient codes on demand (`failNext`), and a shopper side
 * that emits webhooks. Error codes for refusals the docs do not name (unknown/expired msg_id, bad parameters)
 * are fake-only (FAKE_CODES); our client only relies on "non-zero = refused".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../src/core/clock.js';
import { FakeDouyinTokens } from './oauth.js';
import { DouyinWebhookSender, type DeliverOptions, type DeliveryReport } from './webhook-sender.js';

export const FAKE_CODES = { badParam: 99400, unknownMsgId: 99401, msgIdExpired: 99402, badScene: 99403, noResource: 99404 };
export const TOKEN_INVALID = 28001003;
export const TOKEN_EXPIRED = 28001008;
/** 2100004 system busy, 28001005/28001006 service/network error, 28003018 rate limit. */
export const TRANSIENT = { busy: 2100004, service: 28001005, network: 28001006, rateLimit: 28003018 };
const DAY_MS = 24 * 3600 * 1000;

export interface FakeDouyinOptions {
  clientKey: string;
  clientSecret: string;
  accessToken: string;
  /** The refresh_token issued with `accessToken` (default `rft.<accessToken>`). */
  refreshToken?: string;
  businessOpenId: string;
  clock?: Clock;
  /** Our webhook; echoes of API sends go there. Can be set later with `setWebhook`. */
  webhookUrl?: string;
  webhookTimeoutMs?: number;
}

interface KnownMessage {
  openId: string;
  conversationId: string;
  createTime: number;
  scene: 'im_replay_msg' | 'im_enter_direct_msg';
  image?: Buffer;
}

export interface SentRecord {
  msgId: string;
  conversationId: string;
  toUserId: string;
  scene: string;
  text: string;
  at: number;
}

export interface Refusal {
  path: string;
  code: number;
  reason: string;
}

export interface BuiltEvent {
  envelope: Record<string, unknown>;
  /** The Msg-Id header value. */
  msgId: string;
  serverMessageId: string;
}

export class FakeDouyin {
  readonly sends: SentRecord[] = [];
  readonly refusals: Refusal[] = [];
  readonly echoes: Promise<DeliveryReport>[] = [];
  resourceCalls = 0;
  /** Knob: the next API calls (send, resources) answer these error codes, one each, in order. */
  readonly failNext: number[] = [];
  readonly tokens: FakeDouyinTokens;
  /** Knob: media downloads never answer (a stalled CDN): the request is held until stop(). */
  hangMedia = false;
  /** Knob: the resources API hands out this URL instead of our own /media/ one (e.g. a private address). */
  resourceUrlOverride: string | null = null;
  /** Media download requests seen, hung ones included. */
  mediaRequests = 0;
  /** Knob: emit the im_send_msg echo after each API send. */
  emitEchoes = true;
  baseUrl = '';
  webhook: DouyinWebhookSender | null = null;
  private readonly known = new Map<string, KnownMessage>();
  private seq = 0;
  private readonly clock: Clock;
  private server: http.Server | null = null;

  private constructor(private readonly opts: FakeDouyinOptions) {
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.tokens = new FakeDouyinTokens(this.clock, {
      clientKey: opts.clientKey,
      openId: opts.businessOpenId,
      accessToken: opts.accessToken,
      refreshToken: opts.refreshToken ?? `rft.${opts.accessToken}`,
    });
    if (opts.webhookUrl) this.setWebhook(opts.webhookUrl);
  }

  static async start(opts: FakeDouyinOptions): Promise<FakeDouyin> {
    const fake = new FakeDouyin(opts);
    fake.server = http.createServer((req, res) => {
      fake.handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>((resolve) => fake.server?.listen(0, '127.0.0.1', resolve));
    fake.baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  setWebhook(url: string, opts: { timeoutMs?: number; retryDelayMs?: number } = {}): DouyinWebhookSender {
    this.webhook = new DouyinWebhookSender({
      url,
      clientSecret: this.opts.clientSecret,
      timeoutMs: opts.timeoutMs ?? this.opts.webhookTimeoutMs ?? 5000,
      retryDelayMs: opts.retryDelayMs,
    });
    return this.webhook;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.echoes);
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  conversationOf(openId: string): string {
    return `@conv-${openId}`;
  }

  // ---- shopper side: build events (registered as answerable) ----

  private envelope(event: string, from: string, to: string, content: Record<string, unknown>): Record<string, unknown> {
    return { event, client_key: this.opts.clientKey, from_user_id: from, to_user_id: to, log_id: `L${this.seq}`, content };
  }

  private next(): { serverMessageId: string; msgId: string; now: number } {
    this.seq++;
    return { serverMessageId: `@msg${this.seq}`, msgId: `mid-${this.seq}`, now: this.clock.now() };
  }

  private receive(openId: string, body: Record<string, unknown>, extra: Partial<KnownMessage> = {}): BuiltEvent {
    const { serverMessageId, msgId, now } = this.next();
    const conversationId = this.conversationOf(openId);
    this.known.set(serverMessageId, { openId, conversationId, createTime: now, scene: 'im_replay_msg', ...extra });
    const content = {
      conversation_short_id: conversationId,
      server_message_id: serverMessageId,
      conversation_type: 1,
      source: '',
      create_time: now,
      user_infos: [{ open_id: openId, nick_name: '小王', avatar: 'https://x/a.png' }],
      ...body,
    };
    return { envelope: this.envelope('im_receive_msg', openId, this.opts.businessOpenId, content), msgId, serverMessageId };
  }

  textMessage(openId: string, text: string): BuiltEvent {
    return this.receive(openId, { message_type: 'text', text });
  }

  imageMessage(openId: string, bytes: Buffer): BuiltEvent {
    // Uploads come without a URL (platforms.md §5 Images): the resources API gives one.
    return this.receive(openId, { message_type: 'user_local_image' }, { image: bytes });
  }

  /** A picture that is not a local upload (`image`): it carries no URL and the resources API does not serve it. */
  sharedImageMessage(openId: string): BuiltEvent {
    return this.receive(openId, { message_type: 'image' });
  }

  otherMessage(openId: string, messageType: string, fields: Record<string, unknown> = {}): BuiltEvent {
    return this.receive(openId, { message_type: messageType, ...fields });
  }

  enterEvent(openId: string): BuiltEvent {
    const { serverMessageId, msgId, now } = this.next();
    const conversationId = this.conversationOf(openId);
    this.known.set(serverMessageId, { openId, conversationId, createTime: now, scene: 'im_enter_direct_msg' });
    const content = { conversation_short_id: conversationId, server_message_id: serverMessageId, create_time: now, scene_type: 'profile' };
    return { envelope: this.envelope('im_enter_direct_msg', openId, this.opts.businessOpenId, content), msgId, serverMessageId };
  }

  recallEvent(openId: string, recalledServerMessageId: string): BuiltEvent {
    const { msgId, now } = this.next();
    const content = { conversation_short_id: this.conversationOf(openId), server_message_id: recalledServerMessageId, create_time: now };
    const envelope = { ...this.envelope('im_recall_msg', openId, this.opts.businessOpenId, content), msg_id: recalledServerMessageId };
    return { envelope, msgId, serverMessageId: recalledServerMessageId };
  }

  /** A person answering from the Douyin app: im_send_msg with an empty source. */
  agentMessage(openId: string, text: string, source = ''): BuiltEvent {
    const { serverMessageId, msgId, now } = this.next();
    const content = {
      conversation_short_id: this.conversationOf(openId),
      server_message_id: serverMessageId,
      conversation_type: 1,
      message_type: 'text',
      text,
      source,
      create_time: now,
    };
    return { envelope: this.envelope('im_send_msg', this.opts.businessOpenId, openId, content), msgId, serverMessageId };
  }

  async deliver(event: BuiltEvent, opts: DeliverOptions = {}): Promise<DeliveryReport> {
    if (!this.webhook) throw new Error('FakeDouyin: no webhook url set');
    return this.webhook.deliver(event.envelope, event.msgId, opts);
  }

  async customerSays(openId: string, text: string, opts: DeliverOptions = {}): Promise<BuiltEvent & { report: DeliveryReport }> {
    const event = this.textMessage(openId, text);
    return { ...event, report: await this.deliver(event, opts) };
  }

  async customerSendsImage(openId: string, bytes: Buffer, opts: DeliverOptions = {}): Promise<BuiltEvent & { report: DeliveryReport }> {
    const event = this.imageMessage(openId, bytes);
    return { ...event, report: await this.deliver(event, opts) };
  }

  async agentTypes(openId: string, text: string, opts: DeliverOptions = {}): Promise<BuiltEvent & { report: DeliveryReport }> {
    const event = this.agentMessage(openId, text);
    return { ...event, report: await this.deliver(event, opts) };
  }

  sendsTo(openId: string): SentRecord[] {
    return this.sends.filter((s) => s.toUserId === openId);
  }

  // ---- API side ----

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };

    if (req.method === 'GET' && url.pathname.startsWith('/media/')) {
      this.mediaRequests++;
      if (this.hangMedia) return;
      const bytes = this.known.get(decodeURIComponent(url.pathname.slice('/media/'.length)))?.image;
      if (!bytes) return json(404, { error: 'not found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
      res.end(bytes);
      return;
    }
    const path = url.pathname;
    if (path === '/oauth/refresh_token/' && req.method === 'POST') return json(200, this.tokens.handleRefresh(new URLSearchParams(raw)));
    if (path !== '/im/send/msg/' && path !== '/api/im/message/resources/') return json(404, { error: 'no route' });

    const refuse = (code: number, reason: string): void => {
      this.refusals.push({ path, code, reason });
      if (path === '/api/im/message/resources/') return json(200, { err_no: code, err_msg: reason, log_id: 'fake' });
      json(200, {
        data: { error_code: code, description: reason },
        extra: { error_code: code, sub_error_code: 0, description: reason, logid: 'fake', now: Math.floor(this.clock.now() / 1000) },
      });
    };
    const token = this.tokens.check(req.headers['access-token'] as string | undefined);
    if (token === 'invalid') return refuse(TOKEN_INVALID, 'access_token invalid');
    if (token === 'expired') return refuse(TOKEN_EXPIRED, 'access_token expired');
    const injected = this.failNext.shift();
    if (injected !== undefined) return refuse(injected, 'injected platform error');
    if (url.searchParams.get('open_id') !== this.opts.businessOpenId) return refuse(FAKE_CODES.badParam, 'open_id mismatch');

    if (path === '/api/im/message/resources/') {
      this.resourceCalls++;
      const messageId = url.searchParams.get('message_id') ?? '';
      const known = this.known.get(messageId);
      if (!known?.image || url.searchParams.get('conversation_id') !== known.conversationId) {
        return refuse(FAKE_CODES.noResource, 'resource not found');
      }
      return json(200, { err_no: 0, err_msg: '', log_id: 'fake', data: { media_type: 'image', url: this.resourceUrlOverride ?? `${this.baseUrl}/media/${encodeURIComponent(messageId)}` } });
    }

    if (req.method !== 'POST') return json(405, { error: 'POST only' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return refuse(FAKE_CODES.badParam, 'body is not JSON');
    }
    const msgId = typeof body.msg_id === 'string' ? body.msg_id : '';
    const known = this.known.get(msgId);
    if (!known) return refuse(FAKE_CODES.unknownMsgId, 'msg_id unknown');
    if (this.clock.now() - known.createTime > DAY_MS) return refuse(FAKE_CODES.msgIdExpired, 'msg_id older than 24 h');
    if (body.conversation_id !== known.conversationId) return refuse(FAKE_CODES.badParam, 'conversation_id mismatch');
    if (body.to_user_id !== known.openId) return refuse(FAKE_CODES.badParam, 'to_user_id mismatch');
    const scene = typeof body.scene === 'string' && body.scene ? body.scene : 'im_replay_msg';
    if (scene !== known.scene) return refuse(FAKE_CODES.badScene, `scene ${scene} does not fit this msg_id`);
    const content = body.content as { msg_type?: unknown; text?: { text?: unknown } } | undefined;
    if (content?.msg_type !== 1) return refuse(FAKE_CODES.badParam, 'only msg_type 1 (text) is supported by the fake');
    const text = content.text?.text;
    if (typeof text !== 'string' || text.length === 0) return refuse(FAKE_CODES.badParam, 'text.text missing');

    const sent: SentRecord = { msgId, conversationId: known.conversationId, toUserId: known.openId, scene, text, at: this.clock.now() };
    this.sends.push(sent);
    this.seq++;
    const newId = `@sent${this.seq}`;
    json(200, {
      data: { error_code: 0, description: '' },
      extra: { error_code: 0, sub_error_code: 0, logid: 'fake', now: Math.floor(this.clock.now() / 1000) },
      msg_id: newId,
    });
    if (this.emitEchoes && this.webhook) {
      const echo = this.agentMessage(known.openId, text, this.opts.clientKey);
      this.echoes.push(this.deliver(echo));
    }
  }
}
