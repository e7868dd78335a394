/**
 * The 抖店 message pusher (platforms.md §6): POSTs a JSON array of `{tag, msg_id, data}` with `app-id` and
 * `event-sign = md5(app_key + body + app_secret)`; a delivery only counts when the answer is `{"code":0}`.
 * `data` is a JSON string and ids inside it are int64 numbers, as the official Go SDK reads them
 * (zsmhub/doudian-sdk message/doudian_message.go `Data string`; message/*.go `PId int64`). `dataAs: 'object'`
 * and numeric tags give the SKIT EventSamples form (`"tag": 200`, `"data": {…}`).
 */
import { createHash } from 'node:crypto';
import { int64Json, withInt64Ids } from './int64.js';

export interface PushMessage {
  tag: string | number;
  msg_id?: string;
  /** An object (ids as digit strings, written as int64 numbers) or the exact data text to send. */
  data: Record<string, unknown> | string;
}

export interface PushResult {
  status: number;
  body: string;
  /** The platform's success criterion: HTTP 200 and `{"code":0}`. */
  accepted: boolean;
}

export function doudianEventSign(appKey: string, appSecret: string, body: string): string {
  return createHash('md5').update(appKey + body + appSecret).digest('hex');
}

export interface PushOptions {
  sign?: string;
  appId?: string | null;
  /** The exact body to send (signed unless `sign` is given). */
  raw?: string;
  dataAs?: 'string' | 'object';
}

export class DoudianPusher {
  constructor(private readonly opts: { url: string; appKey: string; appSecret: string }) {}

  body(messages: PushMessage[], dataAs: 'string' | 'object' = 'string'): string {
    return int64Json(
      messages.map((m) => {
        const data = typeof m.data === 'string' || dataAs === 'object' ? m.data : int64Json(m.data);
        return { tag: m.tag, msg_id: m.msg_id ?? '', data: typeof data === 'string' ? data : withInt64Ids(data) };
      }),
    );
  }

  async push(messages: PushMessage[], opts: PushOptions = {}): Promise<PushResult> {
    const body = opts.raw ?? this.body(messages, opts.dataAs);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'event-sign': opts.sign ?? doudianEventSign(this.opts.appKey, this.opts.appSecret, body),
    };
    const appId = opts.appId === undefined ? this.opts.appKey : opts.appId;
    if (appId !== null) headers['app-id'] = appId;
    const res = await fetch(this.opts.url, { method: 'POST', headers, body });
    const text = await res.text();
    let code: unknown;
    try {
      code = (JSON.parse(text) as { code?: unknown }).code;
    } catch {
      code = undefined;
    }
    return { status: res.status, body: text, accepted: res.status === 200 && code === 0 };
  }

  /** tag "0": the verification ping sent when the push URL is configured. */
  ping(): Promise<PushResult> {
    return this.push([{ tag: '0', msg_id: `ping-${Date.now()}`, data: {} }]);
  }
}
