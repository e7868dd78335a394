/**
 * Fake sync_msg (platforms.md §2, §7): callback tokens valid 10 min, 3-day retention, limit ≤1000, has_more
 * paging including an empty has_more=1 page, open_kfid filter. API-sent messages never appear here; what
 * customers, servicers and the platform do is appended to the log by the actions below.
 */
import { CALLBACK_TOKEN_TTL_MS, FAKE_CODES, RETENTION_MS, WINDOW_MS, randomId, type FakeModel, type Json } from './model.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const encodeCursor = (seq: number): string => Buffer.from(`c${seq}`).toString('base64url');
function decodeCursor(cursor: string): number | null {
  const m = /^c(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? Number(m[1]) : null;
}

export function newCallbackToken(m: FakeModel, openKfId: string): string {
  const token = randomId('ENC', 24);
  m.callbackTokens.set(token, { openKfId, expiresAt: m.now() + CALLBACK_TOKEN_TTL_MS });
  return token;
}

export function syncMsg(m: FakeModel, body: Json): Json {
  const openKfId = str(body.open_kfid);
  if (!openKfId) return { errcode: 95004, errmsg: 'open_kfid missing' };
  if (!m.openKfIds.has(openKfId)) return { errcode: 95000, errmsg: 'invalid open_kfid' };
  const token = str(body.token);
  if (token) {
    const t = m.callbackTokens.get(token);
    if (!t || t.openKfId !== openKfId || m.now() >= t.expiresAt) return { errcode: 95007, errmsg: 'invalid msg token' };
  }
  const limit = body.limit === undefined ? 1000 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return { errcode: FAKE_CODES.invalidParam, errmsg: 'limit must be 1-1000' };
  const cursor = str(body.cursor);
  const after = cursor ? decodeCursor(cursor) : 0;
  if (after === null) return { errcode: FAKE_CODES.invalidParam, errmsg: 'invalid cursor' };
  if (m.emptyPagesNext > 0) {
    m.emptyPagesNext--;
    return { errcode: 0, errmsg: 'ok', next_cursor: cursor || encodeCursor(0), has_more: 1, msg_list: [] };
  }
  const oldest = m.now() - RETENTION_MS;
  const visible = m.log.filter((e) => e.openKfId === openKfId && e.seq > after && e.at >= oldest);
  const page = visible.slice(0, limit);
  const last = page.at(-1);
  return {
    errcode: 0,
    errmsg: 'ok',
    next_cursor: encodeCursor(last ? last.seq : after),
    has_more: visible.length > page.length ? 1 : 0,
    msg_list: page.map((e) => e.item),
  };
}

/** A customer opens the kf chat; a welcome_code comes only if none was offered and nothing was said in 48 h. */
export function customerEnters(m: FakeModel, openKfId: string, externalUserId: string, extra: Json = {}): { msgid: string; welcomeCode: string | null } {
  const s = m.session(openKfId, externalUserId);
  const now = m.now();
  const fresh = s.lastWelcomeOrMessageAt === null || now - s.lastWelcomeOrMessageAt > WINDOW_MS;
  const welcomeCode = fresh
    ? m.issueCode({ kind: 'welcome', openKfId, externalUserId, expiresAt: now + 20_000, boundState: null, msgtypes: ['text', 'msgmenu'] })
    : null;
  if (fresh) s.lastWelcomeOrMessageAt = now;
  const item = m.append(openKfId, {
    origin: 4,
    msgtype: 'event',
    event: {
      event_type: 'enter_session',
      open_kfid: openKfId,
      external_userid: externalUserId,
      scene: 'shop',
      scene_param: 'oid%3D88',
      ...(welcomeCode ? { welcome_code: welcomeCode } : {}),
      ...extra,
    },
  });
  return { msgid: str(item.msgid), welcomeCode };
}

/** A customer message of any msgtype (body under the msgtype key, as sync_msg returns it). */
export function customerSends(m: FakeModel, openKfId: string, externalUserId: string, msgtype: string, body: Json): string {
  const s = m.session(openKfId, externalUserId);
  const now = m.now();
  if (s.state === 4) {
    s.state = 0;
    s.servicer = null;
  }
  s.lastCustomerAt = now;
  s.sentSinceCustomer = 0;
  s.lastWelcomeOrMessageAt = now;
  const item = m.append(openKfId, { open_kfid: openKfId, external_userid: externalUserId, origin: 3, msgtype, [msgtype]: body });
  return str(item.msgid);
}

/** A person answering from the WeCom client (origin 5). */
export function servicerSends(m: FakeModel, openKfId: string, externalUserId: string, servicer: string, text: string): string {
  const item = m.append(openKfId, {
    open_kfid: openKfId,
    external_userid: externalUserId,
    origin: 5,
    servicer_userid: servicer,
    msgtype: 'text',
    text: { content: text },
  });
  return str(item.msgid);
}

export function customerRecalls(m: FakeModel, openKfId: string, externalUserId: string, msgid: string): void {
  m.append(openKfId, {
    origin: 4,
    msgtype: 'event',
    event: { event_type: 'user_recall_msg', open_kfid: openKfId, external_userid: externalUserId, recall_msgid: msgid },
  });
}

export function setServicerStatus(m: FakeModel, userid: string, status: 0 | 1): void {
  m.servicers.set(userid, status);
  // The event says 1 接待中 / 2 停止接待 while servicer/list says 0 / 1 (platforms.md §2).
  for (const openKfId of m.openKfIds) {
    m.append(openKfId, {
      origin: 4,
      msgtype: 'event',
      event: { event_type: 'servicer_status_change', open_kfid: openKfId, servicer_userid: userid, status: status === 0 ? 1 : 2 },
    });
  }
}
