/**
 * The two WeCom alert sinks (WeCom 群机器人 and 应用消息 docs): the group robot webhook (the key is the only credential, so it
 * never reaches a log) and app messages through the internal app's token, cached and shared like the kf token.
 * Both answer HTTP 200 `{errcode,errmsg}`; these functions turn that into outcomes the processor acts on.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../../config/load-config.js';
import type { WecomResponse } from '../channels/wecom/api-types.js';
import { WecomClient } from '../channels/wecom/client.js';
import { NetworkError, PlatformError } from '../core/errors.js';

/** Rate limit (WeCom 全局错误码, document/path/90313); for the robot the code is UNCONFIRMED, our fake uses it too. */
export const FREQ_LIMIT = 45009;
/** Retry later: busy, rate limit, concurrency limit. */
const RETRYABLE = new Set([-1, FREQ_LIMIT, 45033]);
/** app message/send: every recipient invalid. */
export const ALL_RECIPIENTS_INVALID = 81013;

export type SendOutcome =
  | { ok: true; invalidUsers?: string[] }
  /** Try again later (rate limit, busy, network); `rateLimited` means WeCom said 45009. */
  | { ok: false; retry: true; rateLimited: boolean; reason: string }
  /** Will not work by retrying (bad key, bad secret, invalid users): log and stop. */
  | { ok: false; retry: false; reason: string };

const TIMEOUT_MS = 5_000;

export interface AppConfig {
  corpId: string;
  agentId: number;
  secret: string;
}

/** The internal app when WECOM_AGENT_ID + WECOM_APP_SECRET (+ WECOM_CORP_ID) are set. */
export function appConfigOf(config: Config): AppConfig | null {
  const { agentId, appSecret } = config.alerts;
  const corpId = config.wecom?.corpId;
  return agentId !== null && appSecret && corpId ? { corpId, agentId, secret: appSecret } : null;
}

/** Short fingerprint of a credential, for Redis keys and logs (never the credential itself). */
export const fingerprint = (secret: string): string => createHash('sha256').update(secret).digest('hex').slice(0, 12);

export async function sendRobotMarkdown(apiBase: string, robotKey: string, content: string): Promise<SendOutcome> {
  const url = `${apiBase}/cgi-bin/webhook/send?key=${encodeURIComponent(robotKey)}`;
  let json: { errcode?: unknown; errmsg?: unknown };
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (res.status >= 500) {
      await res.body?.cancel();
      return { ok: false, retry: true, rateLimited: false, reason: `HTTP ${res.status}` };
    }
    json = (await res.json()) as typeof json;
  } catch (err) {
    // The URL holds the key: report only the kind of failure.
    const name = err instanceof Error ? err.name : 'Error';
    return { ok: false, retry: true, rateLimited: false, reason: name === 'TimeoutError' ? 'timeout' : 'network' };
  }
  const code = typeof json.errcode === 'number' ? json.errcode : Number(json.errcode ?? -1);
  if (code === 0) return { ok: true };
  const reason = `errcode ${code}: ${typeof json.errmsg === 'string' ? json.errmsg.slice(0, 120) : ''}`;
  if (RETRYABLE.has(code)) return { ok: false, retry: true, rateLimited: code === FREQ_LIMIT, reason };
  return { ok: false, retry: false, reason };
}

const clients = new WeakMap<Redis, Map<string, WecomClient>>();

/** One client per app and Redis connection, so the token single-flight works within a process too. */
function appClient(redis: Redis, config: Config, app: AppConfig): WecomClient {
  let byApp = clients.get(redis);
  if (!byApp) {
    byApp = new Map();
    clients.set(redis, byApp);
  }
  const id = `${config.wecomApiBase}|${app.corpId}|${fingerprint(app.secret)}`;
  let client = byApp.get(id);
  if (!client) {
    client = new WecomClient({ corpId: app.corpId, secret: app.secret, apiBase: config.wecomApiBase, redis, keyPrefix: config.queuePrefix });
    byApp.set(id, client);
  }
  return client;
}

interface AppSendResponse extends WecomResponse {
  invaliduser?: string;
}

/** `message/send` text to up to 1000 members ("u1|u2"). */
export async function sendAppText(
  s: { redis: Redis; config: Config },
  app: AppConfig,
  userIds: string[],
  content: string,
): Promise<SendOutcome> {
  try {
    const res = await appClient(s.redis, s.config, app).post<AppSendResponse>('message/send', {
      touser: userIds.join('|'),
      msgtype: 'text',
      agentid: app.agentId,
      text: { content },
      safe: 0,
    });
    const invalidUsers = (res.invaliduser ?? '').split('|').filter(Boolean);
    return invalidUsers.length > 0 ? { ok: true, invalidUsers } : { ok: true };
  } catch (err) {
    if (err instanceof NetworkError) return { ok: false, retry: true, rateLimited: false, reason: err.message };
    if (err instanceof PlatformError) {
      const code = Number(err.platformCode);
      if (RETRYABLE.has(code)) return { ok: false, retry: true, rateLimited: code === FREQ_LIMIT, reason: err.message };
      return { ok: false, retry: false, reason: err.message };
    }
    throw err;
  }
}
