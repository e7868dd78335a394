/**
 * The 抖店 message pusher (platforms.md §6): POSTs a JSON array of `{tag, msg_id, data}` (data a JSON
 * string) with `app-id` and `event-sign = md5(app_key + body + app_secret)`; a delivery only counts when
 * the answer is `{"code":0}`.
 */
import { createHash } from 'node:crypto';

export interface PushMessage {
  tag: string;
  msg_id?: string;
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

export class DoudianPusher {
  constructor(private readonly opts: { url: string; appKey: string; appSecret: string }) {}

  async push(messages: PushMessage[], opts: { sign?: string; appId?: string | null; raw?: string } = {}): Promise<PushResult> {
    const body =
      opts.raw ??
      JSON.stringify(messages.map((m) => ({ tag: m.tag, msg_id: m.msg_id ?? '', data: typeof m.data === 'string' ? m.data : JSON.stringify(m.data) })));
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
