/**
 * Fake media (3-day media_id, Range on get), customer/batchget, servicer/list, account/list and the two alert
 * sinks: message/send (invaliduser, 81013) and the group robot webhook/send (20/min per key → 45009).
 */
import { DAY_MS, FAKE_CODES, WINDOW_MS, randomId, type FakeModel, type Json, type Media } from './model.js';

const MB = 1024 * 1024;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const MEDIA_LIMITS: Record<Media['type'], { max: number; errcode: number }> = {
  image: { max: 10 * MB, errcode: 40009 },
  voice: { max: 2 * MB, errcode: 40006 },
  video: { max: 10 * MB, errcode: 40011 },
  file: { max: 20 * MB, errcode: 40006 },
};

export function addMedia(m: FakeModel, type: Media['type'], bytes: Buffer, filename = 'upload.bin'): Json {
  const limit = MEDIA_LIMITS[type];
  if (!limit) return { errcode: 40005, errmsg: 'invalid media type' };
  if (bytes.length <= 5 || bytes.length > limit.max) return { errcode: limit.errcode, errmsg: 'invalid media size' };
  const id = randomId('MEDIA', 18);
  const createdAt = m.now();
  m.media.set(id, { id, type, bytes, filename, createdAt, downloads: 0 });
  return { errcode: 0, errmsg: 'ok', type, media_id: id, created_at: String(Math.floor(createdAt / 1000)) };
}

export async function uploadMedia(m: FakeModel, type: string, contentType: string, raw: Buffer): Promise<Json> {
  if (!['image', 'voice', 'video', 'file'].includes(type)) return { errcode: 40005, errmsg: 'invalid media type' };
  let file: unknown;
  try {
    const form = await new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
    file = form.get('media');
  } catch {
    return { errcode: FAKE_CODES.invalidParam, errmsg: 'multipart body expected' };
  }
  if (!(file instanceof Blob) || !('name' in file) || !file.name) return { errcode: 41006, errmsg: 'media field with filename missing' };
  return addMedia(m, type as Media['type'], Buffer.from(await file.arrayBuffer()), String(file.name));
}

export type MediaAnswer = { json: Json } | { status: number; headers: Record<string, string>; body: Buffer };

export function getMedia(m: FakeModel, mediaId: string, range: string | undefined): MediaAnswer {
  const media = m.media.get(mediaId);
  if (!media || m.now() - media.createdAt > 3 * DAY_MS) return { json: { errcode: 40007, errmsg: 'invalid media_id' } };
  media.downloads++;
  const type = media.type === 'image' ? 'image/jpeg' : media.type === 'voice' ? 'audio/amr' : media.type === 'video' ? 'video/mp4' : 'application/octet-stream';
  const headers = { 'content-type': type, 'content-disposition': `attachment; filename="${media.filename}"`, 'accept-ranges': 'bytes' };
  const total = media.bytes.length;
  const match = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (range && !match) return { status: 416, headers: { 'content-range': `bytes */${total}` }, body: Buffer.alloc(0) };
  if (match) {
    const start = match[1] ? Number(match[1]) : Math.max(0, total - Number(match[2]));
    const end = match[1] && match[2] ? Math.min(Number(match[2]), total - 1) : total - 1;
    if (start > end || start >= total) return { status: 416, headers: { 'content-range': `bytes */${total}` }, body: Buffer.alloc(0) };
    return { status: 206, headers: { ...headers, 'content-range': `bytes ${start}-${end}/${total}` }, body: media.bytes.subarray(start, end + 1) };
  }
  return { status: 200, headers, body: media.bytes };
}

export function batchGet(m: FakeModel, body: Json): Json {
  const ids = Array.isArray(body.external_userid_list) ? body.external_userid_list.map(str) : [];
  if (ids.length === 0 || ids.length > 100) return { errcode: FAKE_CODES.invalidParam, errmsg: 'external_userid_list must hold 1-100 ids' };
  const now = m.now();
  const active = (id: string): boolean =>
    m.log.some((e) => now - e.at <= WINDOW_MS && (e.item.external_userid === id || (e.item.event as Json | undefined)?.external_userid === id));
  const customer_list = ids.filter(active).map((id) => ({
    external_userid: id,
    nickname: m.nicknames.get(id) ?? `客户${id.slice(-4)}`,
    avatar: '',
    gender: 0,
    unionid: '',
  }));
  return { errcode: 0, errmsg: 'ok', customer_list, invalid_external_userid: ids.filter((id) => !active(id)) };
}

export function servicerList(m: FakeModel, openKfId: string): Json {
  if (!m.openKfIds.has(openKfId)) return { errcode: 95000, errmsg: 'invalid open_kfid' };
  return { errcode: 0, errmsg: 'ok', servicer_list: [...m.servicers].map(([userid, status]) => ({ userid, status })) };
}

export function accountList(m: FakeModel, body: Json): Json {
  const offset = Number(body.offset ?? 0);
  const limit = Number(body.limit ?? 100);
  if (!(limit >= 1 && limit <= 100)) return { errcode: FAKE_CODES.invalidParam, errmsg: 'limit must be 1-100' };
  const all = [...m.openKfIds].map((id, i) => ({ open_kfid: id, name: `客服${i + 1}`, avatar: '', manage_privilege: false }));
  return { errcode: 0, errmsg: 'ok', account_list: all.slice(offset, offset + limit) };
}

const perMinute = (m: FakeModel, kind: 'app' | 'robot', match: (a: Json) => boolean): number =>
  m.alerts.filter((a) => a.kind === kind && !a.dropped && m.now() - a.at < 60_000 && match(a.body)).length;

export function appMessage(m: FakeModel, body: Json): Json {
  if (m.opts.agentId !== undefined && Number(body.agentid) !== m.opts.agentId) return { errcode: FAKE_CODES.badAgent, errmsg: 'invalid agentid' };
  const msgtype = str(body.msgtype);
  if (!['text', 'markdown', 'textcard'].includes(msgtype)) return { errcode: 40008, errmsg: 'invalid msgtype' };
  const content = str((body[msgtype] as Json | undefined)?.content);
  if (msgtype !== 'textcard' && (Buffer.byteLength(content) < 1 || Buffer.byteLength(content) > 2048)) return { errcode: FAKE_CODES.invalidParam, errmsg: 'content must be 1-2048 bytes' };
  const touser = str(body.touser);
  const wanted = touser === '@all' ? [...m.users] : touser.split('|').filter(Boolean);
  const valid = wanted.filter((u) => m.users.has(u));
  const invalid = wanted.filter((u) => !m.users.has(u));
  if (valid.length === 0) return { errcode: 81013, errmsg: 'all recipients invalid', invaliduser: invalid.join('|') };
  // 30/min per member: WeCom drops the excess silently (still errcode 0).
  const over = valid.some((u) => perMinute(m, 'app', (b) => str(b.touser).split('|').includes(u) || b.touser === '@all') >= 30);
  m.alerts.push({ kind: 'app', body, at: m.now(), ...(over ? { dropped: true } : {}) });
  return { errcode: 0, errmsg: 'ok', invaliduser: invalid.join('|'), invalidparty: '', invalidtag: '', msgid: randomId('am'), response_code: '' };
}

export function robotMessage(m: FakeModel, key: string, body: Json): Json {
  if (!m.opts.robotKey || key !== m.opts.robotKey) return { errcode: 93000, errmsg: 'invalid webhook url' };
  const msgtype = str(body.msgtype);
  const content = str((body[msgtype] as Json | undefined)?.content);
  const max = msgtype === 'markdown' ? 4096 : 2048;
  if (!['text', 'markdown'].includes(msgtype) || Buffer.byteLength(content) < 1 || Buffer.byteLength(content) > max) {
    return { errcode: FAKE_CODES.invalidParam, errmsg: 'invalid robot message' };
  }
  // 20 messages per minute per robot; the exact code is UNCONFIRMED (platforms.md §7).
  if (perMinute(m, 'robot', () => true) >= 20) return { errcode: 45009, errmsg: 'api freq out of limit' };
  m.alerts.push({ kind: 'robot', body, at: m.now() });
  return { errcode: 0, errmsg: 'ok' };
}
