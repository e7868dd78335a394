/**
 * Douyin open API client: private-message replies and message resources (image/video uploads arrive without a
 * URL). Platform refusals become PlatformError (`retryable` for the documented transient codes), transport
 * failures NetworkError, so callers can tell "refused" (do not retry) from "busy or unreachable" (retry).
 * The access token comes from a TokenSource: when the platform calls it expired, the source renews it once
 * (refresh_token flow, see src/tokens) and the call is repeated with the new token.
 */
import type { DouyinConfig } from '../../../config/load-config.js';
import { NetworkError, PlatformError } from '../../core/errors.js';
import { checkFetchTarget, type AddressVerdict } from '../../core/public-address.js';
import { fixedToken, type TokenSource } from '../../tokens/source.js';
import { platformFetch } from '../platform-fetch.js';

type FetchFn = typeof fetch;

export interface SendTextRequest {
  /** server_message_id of the customer message being answered (valid 24 h). */
  msgId: string;
  conversationId: string;
  toUserId: string;
  scene: string;
  text: string;
}

export interface DouyinResource {
  mediaType: string | null;
  url: string;
}

export interface DouyinClient {
  sendText(req: SendTextRequest): Promise<{ platformMsgId: string | null }>;
  getResource(req: { conversationId: string; messageId: string }): Promise<DouyinResource>;
  /** Downloads bytes with a hard cap; http(s) only. */
  download(url: string, maxBytes: number): Promise<Buffer>;
}

const PLATFORM = 'douyin';
const TOKEN_HINT =
  'Douyin access token invalid or expired and it could not be renewed: re-authorise and set DOUYIN_ACCESS_TOKEN and DOUYIN_REFRESH_TOKEN.';
/**
 * 28001003 invalid / 28001008 expired (developer.open-douyin.com …/webhooks/event-list), 10008 and 2190008
 * expired, 2190002 invalid (…/dop/develop/sdk/mobile-app/permission/get-permission-token and the OpenAPI
 * error tables).
 */
export const TOKEN_ERROR_CODES: ReadonlySet<number> = new Set([28001003, 28001008, 10008, 2190008, 2190002]);
/**
 * Worth another try with backoff: 2100004 system busy, 28001005 / 28001006 service or network error,
 * 28003018 rate limit (error tables of the developer.open-douyin.com OpenAPI / private-message pages).
 */
export const TRANSIENT_ERROR_CODES: ReadonlySet<number> = new Set([2100004, 28001005, 28001006, 28003018]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const numOf = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined);

/**
 * Error code and message from either envelope: `{data:{error_code,description},extra:{…}}` (send) or
 * `{err_no,err_msg}` (resources). Which endpoints use which is UNCONFIRMED, so both are read everywhere.
 */
export function readPlatformError(body: unknown): { code: number; message: string } {
  if (!isRecord(body)) return { code: 0, message: '' };
  const data = isRecord(body.data) ? body.data : {};
  const extra = isRecord(body.extra) ? body.extra : {};
  const candidates = [numOf(data.error_code), numOf(extra.error_code), numOf(body.err_no), numOf(body.error_code)];
  const code = candidates.find((c) => c !== undefined && c !== 0) ?? 0;
  const message = [data.description, extra.description, body.err_msg, body.description].find(
    (m): m is string => typeof m === 'string' && m.length > 0,
  );
  return { code, message: message ?? '' };
}

export function platformErrorFor(code: number, message: string): PlatformError {
  const token = TOKEN_ERROR_CODES.has(code);
  const transient = TRANSIENT_ERROR_CODES.has(code);
  return new PlatformError({
    platform: PLATFORM,
    code,
    message: message || (token ? 'access token rejected' : transient ? 'platform busy' : 'request refused'),
    retryable: transient,
    hint: token ? TOKEN_HINT : undefined,
  });
}

export const isTokenError = (err: unknown): err is PlatformError =>
  err instanceof PlatformError && typeof err.platformCode === 'number' && TOKEN_ERROR_CODES.has(err.platformCode);

export function createDouyinClient(
  config: DouyinConfig,
  opts: { fetch?: FetchFn; timeoutMs?: number; downloadTimeoutMs?: number; downloadStallMs?: number; tokens?: TokenSource } = {},
): DouyinClient {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const tokens = opts.tokens ?? fixedToken(config.accessToken);

  /** One call with the current token; after a token refusal, once more with the renewed one. */
  async function withToken(url: string, init: (token: string) => RequestInit): Promise<Record<string, unknown>> {
    const token = await tokens.current();
    try {
      return await callJson(url, init(token));
    } catch (err) {
      if (!isTokenError(err)) throw err;
      const renewed = await tokens.renewAfterRejection(token);
      if (!renewed || renewed === token) throw err;
      return callJson(url, init(renewed));
    }
  }

  async function callJson(url: string, init: RequestInit): Promise<Record<string, unknown>> {
    const res = await platformFetch(PLATFORM, url, init, { timeoutMs, fetch: doFetch });
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new PlatformError({ platform: PLATFORM, code: `http_${res.status}`, message: 'response is not JSON' });
    }
    const { code, message } = readPlatformError(body);
    if (code !== 0) throw platformErrorFor(code, message);
    if (!res.ok) throw new PlatformError({ platform: PLATFORM, code: `http_${res.status}`, message: message || 'HTTP error' });
    return isRecord(body) ? body : {};
  }

  return {
    async sendText(req) {
      const url = `${config.apiBase}/im/send/msg/?open_id=${encodeURIComponent(config.businessOpenId)}`;
      const payload = JSON.stringify({
        msg_id: req.msgId,
        conversation_id: req.conversationId,
        to_user_id: req.toUserId,
        scene: req.scene,
        content: { msg_type: 1, text: { text: req.text } },
      });
      const body = await withToken(url, (token) => ({
        method: 'POST',
        headers: { 'access-token': token, 'content-type': 'application/json' },
        body: payload,
      }));
      // The new message id's location is UNCONFIRMED (top-level msg_id in public code): read both places.
      const data = isRecord(body.data) ? body.data : {};
      const id = body.msg_id ?? data.msg_id ?? data.server_message_id;
      return { platformMsgId: typeof id === 'string' && id ? id : null };
    },

    async getResource(req) {
      const qs = new URLSearchParams({
        open_id: config.businessOpenId,
        conversation_id: req.conversationId,
        message_id: req.messageId,
      });
      const body = await withToken(`${config.apiBase}/api/im/message/resources/?${qs.toString()}`, (token) => ({
        method: 'GET',
        headers: { 'access-token': token },
      }));
      const data = isRecord(body.data) ? body.data : {};
      if (typeof data.url !== 'string' || !data.url) {
        throw new PlatformError({ platform: PLATFORM, code: 'no_url', message: 'resource has no url' });
      }
      return { mediaType: typeof data.media_type === 'string' ? data.media_type : null, url: data.url };
    },

    async download(url, maxBytes) {
      return downloadCapped(doFetch, url, {
        maxBytes,
        stallMs: opts.downloadStallMs ?? MEDIA_STALL_MS,
        totalMs: opts.downloadTimeoutMs ?? MEDIA_TOTAL_MS,
        allowedOrigins: [new URL(config.apiBase).origin],
      });
    },
  };
}

export interface DownloadLimits {
  maxBytes: number;
  /** Headers, and then each next chunk, must arrive within this; a stalled server fails fast. */
  stallMs: number;
  /** The whole download. */
  totalMs: number;
  /** Origins that may be private addresses (the configured platform origins). */
  allowedOrigins: readonly string[];
}

/** A download that stops waiting for headers or the next chunk after {@link DownloadLimits.stallMs}. */
export const MEDIA_STALL_MS = 2_000;
export const MEDIA_TOTAL_MS = 20_000;

/**
 * Streams a response into memory and aborts as soon as it passes `maxBytes` (OWASP API4 / API10), when the
 * server stalls, or before connecting at all when the host is not a public address (core/public-address.ts).
 */
export async function downloadCapped(doFetch: FetchFn, url: string, limits: DownloadLimits): Promise<Buffer> {
  const { maxBytes } = limits;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PlatformError({ platform: PLATFORM, code: 'bad_url', message: 'resource url is invalid' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new PlatformError({ platform: PLATFORM, code: 'bad_url', message: 'resource url is not http(s)' });
  }
  let verdict: AddressVerdict;
  try {
    verdict = await checkFetchTarget(parsed, limits.allowedOrigins);
  } catch (err) {
    throw new NetworkError(PLATFORM, 'resource host does not resolve', err);
  }
  if (verdict.refused) {
    throw new PlatformError({ platform: PLATFORM, code: 'refused_address', message: `resource host is a ${verdict.refused} address` });
  }
  const controller = new AbortController();
  const total = setTimeout(() => controller.abort(), limits.totalMs);
  let stall = setTimeout(() => controller.abort(), limits.stallMs);
  const progressed = (): void => {
    clearTimeout(stall);
    stall = setTimeout(() => controller.abort(), limits.stallMs);
  };
  try {
    let res: Response;
    try {
      res = await doFetch(parsed, { signal: controller.signal });
    } catch (err) {
      throw new NetworkError(PLATFORM, err instanceof Error ? err.message : 'download failed', err);
    }
    progressed();
    if (res.status >= 500 || res.status === 429) throw new NetworkError(PLATFORM, `download HTTP ${res.status}`);
    if (!res.ok || !res.body) {
      throw new PlatformError({ platform: PLATFORM, code: `http_${res.status}`, message: 'resource download refused' });
    }
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      controller.abort();
      throw new PlatformError({ platform: PLATFORM, code: 'too_large', message: `resource over ${maxBytes} bytes` });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const reader = res.body.getReader();
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw new NetworkError(PLATFORM, 'download interrupted', err);
      }
      if (chunk.done) break;
      progressed();
      size += chunk.value.byteLength;
      if (size > maxBytes) {
        controller.abort();
        throw new PlatformError({ platform: PLATFORM, code: 'too_large', message: `resource over ${maxBytes} bytes` });
      }
      chunks.push(Buffer.from(chunk.value));
    }
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(total);
    clearTimeout(stall);
  }
}
