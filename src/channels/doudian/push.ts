/**
 * 抖店 push receiver: headers `app-id` and `event-sign` (md5(app_key + raw_body + app_secret)), body a JSON
 * array of `{tag, msg_id, data}` where `data` is a JSON string. Pure: the HTTP edge enqueues the items.
 */
import { createHash } from 'node:crypto';
import type { DoudianConfig } from '../../../config/load-config.js';
import { badRequest, unauthorized } from '../../core/errors.js';
import { pushSignMethod, verifyEventSign } from './sign.js';

export interface PushItem {
  tag: string;
  msgId: string;
  /** The item's data as a JSON string, exactly as the job carries it. */
  data: string;
}

export interface PushHeaders {
  appId: string | null;
  eventSign: string | null;
  signMethod: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | null =>
  typeof v === 'string' && v ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;

export function receiveDoudianPush(
  raw: Buffer,
  headers: PushHeaders,
  config: Pick<DoudianConfig, 'appKey' | 'appSecret'>,
): PushItem[] {
  if (headers.appId && headers.appId !== config.appKey) throw unauthorized('bad_app_id', 'app-id does not match');
  const method = pushSignMethod(headers.signMethod);
  if (!verifyEventSign(config.appKey, config.appSecret, raw, headers.eventSign, method)) {
    throw unauthorized('bad_signature', 'event-sign does not match');
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('bad_json', 'body is not valid JSON');
  }
  // Documented as an array; a bare object is accepted defensively (UNCONFIRMED that it never happens).
  const items = Array.isArray(body) ? body : [body];
  return items.map((item) => {
    if (!isRecord(item)) throw badRequest('bad_payload', 'push item is not an object');
    const tag = idOf(item.tag);
    if (tag === null) throw badRequest('bad_payload', 'push item without tag');
    const data =
      typeof item.data === 'string' ? item.data : item.data === undefined || item.data === null ? '{}' : JSON.stringify(item.data);
    // Without a msg_id the content itself is the identity, so a redelivery still dedupes.
    const msgId = idOf(item.msg_id) ?? `h${createHash('sha1').update(`${tag}\n${data}`).digest('hex')}`;
    return { tag, msgId, data };
  });
}

/** BullMQ custom ids must not contain ':'; keep ids readable and bounded. */
export function safeId(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9_-]/g, '_');
  if (clean === id && id.length <= 80) return id;
  return `${clean.slice(0, 40)}_${createHash('sha1').update(id).digest('hex').slice(0, 16)}`;
}
