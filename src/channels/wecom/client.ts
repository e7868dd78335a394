/**
 * HTTP client for the WeCom 微信客服 API. Every call: 5 s timeout, token from the shared Redis cache,
 * 40014/42001 → invalidate (only that token) + refresh once + retry, errcode -1 → at most 3 retries with backoff.
 * Platform refusals surface as PlatformError, transport failures as NetworkError.
 */
import type { Redis } from 'ioredis';
import { NetworkError, PlatformError } from '../../core/errors.js';
import type * as Api from './api-types.js';
import { BUSY, HINTS, RETRY_LATER, TOKEN_ERRORS } from './errcodes.js';
import { readCapped, type MediaResult } from './http-body.js';
import { TokenCache } from './token-cache.js';

export interface WecomClientOptions {
  corpId: string;
  secret: string;
  apiBase: string;
  redis: Redis;
  keyPrefix: string;
  timeoutMs?: number;
  /** Media bodies (up to 20 MB) get longer than API calls. */
  mediaTimeoutMs?: number;
  /** Waits before each -1 retry; three entries = at most three retries. */
  busyDelaysMs?: readonly number[];
}

type Attempt<T> = { json: Api.WecomResponse } | { value: T };

const DEFAULT_BUSY_DELAYS = [200, 600, 1500] as const;

export class WecomClient {
  readonly tokens: TokenCache;
  private readonly timeoutMs: number;
  private readonly mediaTimeoutMs: number;
  private readonly busyDelays: readonly number[];

  constructor(private readonly opts: WecomClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.mediaTimeoutMs = opts.mediaTimeoutMs ?? 30_000;
    this.busyDelays = opts.busyDelaysMs ?? DEFAULT_BUSY_DELAYS;
    this.tokens = new TokenCache({
      redis: opts.redis,
      keyPrefix: opts.keyPrefix,
      corpId: opts.corpId,
      secret: opts.secret,
      fetchToken: () => this.fetchToken(),
    });
  }

  syncMsg(body: Api.SyncMsgRequest): Promise<Api.SyncMsgResponse> {
    return this.post('kf/sync_msg', body);
  }
  sendMsg(body: Api.SendMsgRequest): Promise<Api.SendMsgResponse> {
    return this.post('kf/send_msg', body);
  }
  sendMsgOnEvent(body: Api.SendOnEventRequest): Promise<Api.SendMsgResponse> {
    return this.post('kf/send_msg_on_event', body);
  }
  getServiceState(openKfId: string, externalUserId: string): Promise<Api.ServiceStateResponse> {
    return this.post('kf/service_state/get', { open_kfid: openKfId, external_userid: externalUserId });
  }
  transServiceState(input: {
    openKfId: string;
    externalUserId: string;
    state: 1 | 2 | 3 | 4;
    servicerUserId?: string;
  }): Promise<Api.TransResponse> {
    return this.post('kf/service_state/trans', {
      open_kfid: input.openKfId,
      external_userid: input.externalUserId,
      service_state: input.state,
      ...(input.servicerUserId ? { servicer_userid: input.servicerUserId } : {}),
    });
  }
  listAccounts(offset: number, limit: number): Promise<Api.AccountListResponse> {
    return this.post('kf/account/list', { offset, limit });
  }
  batchGetCustomers(externalUserIds: string[]): Promise<Api.BatchGetResponse> {
    return this.post('kf/customer/batchget', { external_userid_list: externalUserIds, need_enter_session_context: 0 });
  }

  /** Downloads media (media_id lives 3 days); bytes over `maxBytes` are not read: `{tooLarge:true}`. */
  async getMedia(mediaId: string, maxBytes: number): Promise<MediaResult> {
    const out = await this.withRetries<MediaResult>(async (token) => {
      const url = this.url('media/get', { access_token: token, media_id: mediaId });
      const res = await this.fetch(url, { method: 'GET' }, this.mediaTimeoutMs);
      const type = res.headers.get('content-type') ?? '';
      // Errors come back as a JSON envelope with HTTP 200 instead of bytes.
      if (type.includes('json') || type.startsWith('text/plain')) return { json: await this.json(res) };
      try {
        return { value: await readCapped(res, maxBytes) };
      } catch (err) {
        throw new NetworkError('wecom', 'media download interrupted', err);
      }
    });
    if ('value' in out) return out.value;
    throw new PlatformError({ platform: 'wecom', code: 'not_media', message: 'media/get answered JSON without an error' });
  }

  /** media/upload with multipart field `media` (for images the bot sends; 3-day media_id). */
  async uploadMedia(type: 'image' | 'voice' | 'video' | 'file', bytes: Buffer, filename: string): Promise<string> {
    const res = await this.post<Api.UploadResponse>(`media/upload`, null, { type }, () => {
      const form = new FormData();
      form.append('media', new Blob([bytes]), filename);
      return form;
    });
    if (!res.media_id) throw new PlatformError({ platform: 'wecom', code: 'no_media_id', message: 'upload gave no media_id' });
    return res.media_id;
  }

  /** POSTs JSON (or a form built per attempt, since a FormData body is consumed by each request). */
  async post<T extends Api.WecomResponse>(
    path: string,
    body: unknown,
    query: Record<string, string> = {},
    form?: () => FormData,
  ): Promise<T> {
    const out = await this.withRetries<never>(async (token) => {
      const init: RequestInit = form
        ? { method: 'POST', body: form() }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
      return { json: await this.json(await this.fetch(this.url(path, { ...query, access_token: token }), init)) };
    });
    if (!('json' in out)) throw new Error('unreachable: JSON call returned bytes');
    // withRetries only returns envelopes whose errcode is 0; the shape beyond that is the endpoint's.
    return out.json as T;
  }

  /**
   * Runs one API call with the shared token. `attempt` returns either the JSON envelope (checked for
   * errcode here) or an already-final value (media bytes).
   */
  private async withRetries<T>(attempt: (token: string) => Promise<Attempt<T>>): Promise<Attempt<T>> {
    let refreshed = false;
    let busy = 0;
    for (;;) {
      const token = await this.tokens.get();
      const out = await attempt(token);
      if ('value' in out) return out;
      const code = typeof out.json.errcode === 'number' ? out.json.errcode : 0;
      if (code === 0) return out;
      if (TOKEN_ERRORS.has(code) && !refreshed) {
        refreshed = true;
        await this.tokens.invalidate(token);
        continue;
      }
      const delay = this.busyDelays[busy];
      if (code === BUSY && delay !== undefined) {
        busy++;
        await new Promise((r) => setTimeout(r, delay * (0.8 + Math.random() * 0.4)));
        continue;
      }
      throw new PlatformError({
        platform: 'wecom',
        code,
        message: out.json.errmsg ?? 'error',
        retryable: RETRY_LATER.has(code),
        hint: HINTS[code],
      });
    }
  }

  private async fetchToken(): Promise<{ token: string; expiresIn: number }> {
    const url = this.url('gettoken', { corpid: this.opts.corpId, corpsecret: this.opts.secret });
    const json = (await this.json(await this.fetch(url, { method: 'GET' }))) as Api.WecomResponse & {
      access_token?: string;
      expires_in?: number;
    };
    if (json.errcode !== 0 || !json.access_token) {
      const code = json.errcode ?? 'no_token';
      throw new PlatformError({ platform: 'wecom', code, message: json.errmsg ?? 'gettoken failed', hint: HINTS[Number(code)] });
    }
    return { token: json.access_token, expiresIn: json.expires_in ?? 7200 };
  }

  private url(path: string, query: Record<string, string>): string {
    return `${this.opts.apiBase}/cgi-bin/${path}?${new URLSearchParams(query).toString()}`;
  }

  private async fetch(url: string, init: RequestInit, timeoutMs = this.timeoutMs): Promise<Response> {
    let res: Response;
    try {
      // The signal also bounds reading the body, so a stalled download cannot hang the sync.
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      throw new NetworkError('wecom', name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'request failed', err);
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new NetworkError('wecom', `HTTP ${res.status}`);
    }
    return res;
  }

  private async json(res: Response): Promise<Api.WecomResponse> {
    try {
      const parsed: unknown = await res.json();
      if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
      return parsed as Api.WecomResponse;
    } catch (err) {
      throw new NetworkError('wecom', `unreadable answer (HTTP ${res.status})`, err);
    }
  }
}
