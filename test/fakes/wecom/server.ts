/**
 * The fake WeCom as a real local HTTP server (platforms.md §7). Every API answers HTTP 200 `{errcode,errmsg}`
 * except media bytes. Access tokens live 7200 s, the same token is returned while valid, and knobs expire or
 * revoke it early; `failNext` injects errcode -1 (or another code) into the next calls.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { accountList, appMessage, batchGet, getMedia, robotMessage, servicerList, uploadMedia } from './extras.js';
import { getServiceState, sendMsg, sendMsgOnEvent, transServiceState } from './kf-send.js';
import { syncMsg } from './kf-sync.js';
import { randomId, type FakeModel, type Json } from './model.js';

interface IssuedToken {
  secret: string;
  expiresAt: number;
  revoked: boolean;
}

const BODY_LIMIT = 25 * 1024 * 1024;

export class FakeWecomServer {
  readonly tokens = new Map<string, IssuedToken>();
  private readonly current = new Map<string, string>();
  private failures: { remaining: number; errcode: number; path: string | null; skip: number } | null = null;
  private server: http.Server | null = null;
  private readonly inflight = new Map<string, number>();
  /** Highest number of overlapping calls seen per path (e.g. to prove one sync at a time). */
  readonly maxInflight = new Map<string, number>();
  /** Artificial latency per path, to make overlaps observable. */
  readonly delays = new Map<string, number>();
  baseUrl = '';

  constructor(private readonly m: FakeModel) {}

  async listen(): Promise<string> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(err instanceof Error ? err.message : 'fake error');
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Current kf token now reads as expired (42001); the next gettoken issues a new one. */
  expireTokenNow(): void {
    for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, this.m.now() - 1);
  }

  /** Current tokens are revoked (40014), as WeCom may do early. */
  revokeTokens(): void {
    for (const t of this.tokens.values()) t.revoked = true;
  }

  /** After `skip` good ones, the next `count` API calls (optionally only to `path`, e.g. 'kf/send_msg') answer `errcode`. */
  failNext(count: number, errcode = -1, path: string | null = null, skip = 0): void {
    this.failures = { remaining: count, errcode, path, skip };
  }

  private gettoken(query: URLSearchParams): Json {
    this.m.gettokenCalls++;
    const secret = query.get('corpsecret') ?? '';
    if (query.get('corpid') !== this.m.opts.corpId) return { errcode: 40013, errmsg: 'invalid corpid' };
    if (secret !== this.m.opts.secret && !(this.m.opts.appSecrets ?? []).includes(secret)) {
      return { errcode: 40001, errmsg: 'invalid credential' };
    }
    const now = this.m.now();
    const existing = this.current.get(secret);
    const t = existing ? this.tokens.get(existing) : undefined;
    if (existing && t && !t.revoked && t.expiresAt > now) {
      return { errcode: 0, errmsg: 'ok', access_token: existing, expires_in: Math.floor((t.expiresAt - now) / 1000) };
    }
    const token = randomId('AT', 48);
    this.tokens.set(token, { secret, expiresAt: now + 7200_000, revoked: false });
    this.current.set(secret, token);
    return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 };
  }

  private tokenError(token: string | null): Json | null {
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' };
    const t = this.tokens.get(token);
    if (!t || t.revoked) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (t.expiresAt <= this.m.now()) return { errcode: 42001, errmsg: 'access_token expired' };
    return null;
  }

  private injected(path: string): Json | null {
    const f = this.failures;
    if (!f || f.remaining <= 0 || (f.path !== null && f.path !== path)) return null;
    if (f.skip > 0) {
      f.skip--;
      return null;
    }
    f.remaining--;
    return { errcode: f.errcode, errmsg: f.errcode === -1 ? 'system busy' : 'injected failure' };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/cgi-bin\//, '');
    this.m.calls.set(path, (this.m.calls.get(path) ?? 0) + 1);
    const now = (this.inflight.get(path) ?? 0) + 1;
    this.inflight.set(path, now);
    this.maxInflight.set(path, Math.max(now, this.maxInflight.get(path) ?? 0));
    try {
      const delay = this.delays.get(path);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      await this.route(req, res, url, path);
    } finally {
      this.inflight.set(path, (this.inflight.get(path) ?? 1) - 1);
    }
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse, url: URL, path: string): Promise<void> {
    const raw = await readBody(req);
    const send = (json: Json): void => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(json));
    };
    if (path === 'gettoken') return send(this.gettoken(url.searchParams));
    if (path === 'webhook/send') return send(robotMessage(this.m, url.searchParams.get('key') ?? '', parseJson(raw)));
    const tokenError = this.tokenError(url.searchParams.get('access_token'));
    if (tokenError) return send(tokenError);
    const injected = this.injected(path);
    if (injected) return send(injected);

    if (path === 'media/get') {
      const out = getMedia(this.m, url.searchParams.get('media_id') ?? '', req.headers.range);
      if ('json' in out) return send(out.json);
      res.writeHead(out.status, { ...out.headers, 'content-length': String(out.body.length) });
      res.end(out.body);
      return;
    }
    if (path === 'media/upload') {
      return send(await uploadMedia(this.m, url.searchParams.get('type') ?? '', req.headers['content-type'] ?? '', raw));
    }
    if (path === 'kf/servicer/list') return send(servicerList(this.m, url.searchParams.get('open_kfid') ?? ''));
    const body = parseJson(raw);
    const routes: Record<string, (b: Json) => Json> = {
      'kf/sync_msg': (b) => syncMsg(this.m, b),
      'kf/send_msg': (b) => sendMsg(this.m, b),
      'kf/send_msg_on_event': (b) => sendMsgOnEvent(this.m, b),
      'kf/service_state/get': (b) => getServiceState(this.m, b),
      'kf/service_state/trans': (b) => transServiceState(this.m, b),
      'kf/customer/batchget': (b) => batchGet(this.m, b),
      'kf/account/list': (b) => accountList(this.m, b),
      'message/send': (b) => appMessage(this.m, b),
    };
    const route = routes[path];
    send(route ? route(body) : { errcode: 404, errmsg: `fake has no ${path}` });
  }
}

function parseJson(raw: Buffer): Json {
  try {
    const v: unknown = JSON.parse(raw.toString('utf8') || '{}');
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
  } catch {
    return {};
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
