/**
 * 抖店 push receiver: headers `app-id` and `event-sign` (md5(app_key + raw_body + app_secret)), body a JSON
 * array of `{tag, msg_id, data}` where `data` is a JSON string (official Go SDK via zsmhub/doudian-sdk
 * message/doudian_message.go). Public samples also show `tag` as a number, `data` as an object and `msgId`
 * (SKIT.FlurlHttpClient.ByteDance test/…DouyinShop.UnitTests/EventSamples/*), so both forms are accepted.
 * Pure: the generic webhook handler enqueues the items (./receiver.ts).
 */
import { createHash } from 'node:crypto';
import type { DoudianConfig } from '../../../config/load-config.js';
import { badRequest, unauthorized } from '../../core/errors.js';
import { isRecord, parseDoudianJson } from './json.js';
import { pushSignMethod, verifyEventSign } from './sign.js';

export interface PushItem {
  tag: string;
  msgId: string;
  /** The item's data as a JSON object string with every id as a string, exactly as the job carries it. */
  data: string;
}

export interface PushHeaders {
  appId: string | null;
  eventSign: string | null;
  signMethod: string | null;
}

const idOf = (v: unknown): string | null =>
  typeof v === 'string' && v ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;

function parseJson(text: string): unknown {
  try {
    return parseDoudianJson(text);
  } catch {
    return undefined;
  }
}

/** `data` as an object: a JSON string (documented) or an object (SKIT samples); absent means `{}`. */
function dataOf(item: Record<string, unknown>, index: number): Record<string, unknown> {
  const raw = item.data;
  if (raw === undefined || raw === null || raw === '') return {};
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  if (!isRecord(value)) throw badRequest('bad_payload', `push item ${index}: data is not a JSON object`);
  return value;
}

/** Throws 401 unless the push carries this app's id (when given) and a matching event-sign. */
export function verifyDoudianPush(raw: Buffer, headers: PushHeaders, config: Pick<DoudianConfig, 'appKey' | 'appSecret'>): void {
  if (headers.appId && headers.appId !== config.appKey) throw unauthorized('bad_app_id', 'app-id does not match');
  const method = pushSignMethod(headers.signMethod);
  if (!verifyEventSign(config.appKey, config.appSecret, raw, headers.eventSign, method)) {
    throw unauthorized('bad_signature', 'event-sign does not match');
  }
}

/** The items of a verified push; 400 (and nothing returned) when any item is malformed. */
export function parseDoudianPush(raw: Buffer): PushItem[] {
  const body = parseJson(raw.toString('utf8'));
  if (body === undefined) throw badRequest('bad_json', 'body is not valid JSON');
  // Documented as an array; a bare object (the SKIT samples' form) is accepted as one item.
  const items = Array.isArray(body) ? body : [body];
  // Validate every item before returning any, so a bad batch changes nothing.
  return items.map((item, index) => {
    if (!isRecord(item)) throw badRequest('bad_payload', `push item ${index} is not an object`);
    const tag = idOf(item.tag);
    if (tag === null) throw badRequest('bad_payload', `push item ${index} has no tag`);
    const data = JSON.stringify(dataOf(item, index));
    // Without a msg_id the content itself is the identity, so a redelivery still dedupes.
    const msgId = idOf(item.msg_id) ?? idOf(item.msgId) ?? `h${createHash('sha1').update(`${tag}\n${data}`).digest('hex')}`;
    return { tag, msgId, data };
  });
}

/** BullMQ custom ids must not contain ':'; keep ids readable and bounded. */
export function safeId(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9_-]/g, '_');
  if (clean === id && id.length <= 80) return id;
  return `${clean.slice(0, 40)}_${createHash('sha1').update(id).digest('hex').slice(0, 16)}`;
}
