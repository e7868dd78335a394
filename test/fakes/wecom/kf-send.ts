/**
 * Fake send_msg, send_msg_on_event and service_state (platforms.md §2, §7). Refuses exactly what the platform
 * refuses — outside 48 h, over 5 messages, reused msgid, wrong session state, used/expired codes — and records
 * every refusal so a test can assert there were none.
 */
import { FAKE_CODES, WINDOW_MS, randomId, type FakeModel, type Json, type ServiceState } from './model.js';

const MSGID = /^[0-9A-Za-z_-]{1,32}$/;
const bytes = (v: unknown): number => Buffer.byteLength(typeof v === 'string' ? v : '', 'utf8');
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const rec = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

/** Content checks shared by both send endpoints; returns an error reason or null. */
function contentProblem(body: Json, allowed: readonly string[]): string | null {
  const msgtype = str(body.msgtype);
  if (!allowed.includes(msgtype)) return `msgtype ${msgtype || '(none)'} not allowed here`;
  if (msgtype === 'text') {
    const content = rec(body.text).content;
    if (bytes(content) < 1 || bytes(content) > 2048) return 'text.content must be 1-2048 bytes';
  }
  if (msgtype === 'msgmenu') {
    const menu = rec(body.msgmenu);
    if (bytes(menu.head_content) > 1024) return 'head_content over 1024 bytes';
    const list = Array.isArray(menu.list) ? menu.list : [];
    if (list.length > 10) return 'menu over 10 items';
    for (const raw of list) {
      const item = rec(raw);
      const click = rec(item.click);
      if (item.type !== 'click') continue;
      if (bytes(click.id) < 1 || bytes(click.id) > 64) return 'click.id must be 1-64 bytes';
      if (bytes(click.content) < 1 || bytes(click.content) > 128) return 'click.content must be 1-128 bytes';
    }
  }
  if (['image', 'voice', 'video', 'file'].includes(msgtype) && !str(rec(body[msgtype]).media_id)) return 'media_id missing';
  return null;
}

export function sendMsg(m: FakeModel, body: Json): Json {
  const openKfId = str(body.open_kfid);
  const touser = str(body.touser);
  const msgid = str(body.msgid) || randomId('api');
  if (!m.openKfIds.has(openKfId)) return { errcode: 95000, errmsg: 'invalid open_kfid' };
  if (!touser) return m.refuse('send_msg', 'invalid', FAKE_CODES.invalidParam);
  if (!MSGID.test(msgid)) return m.refuse('send_msg', 'invalid', FAKE_CODES.invalidParam, msgid);
  const problem = contentProblem(body, ['text', 'image', 'voice', 'video', 'file', 'link', 'miniprogram', 'msgmenu', 'location']);
  if (problem) return m.refuse('send_msg', 'invalid', FAKE_CODES.invalidParam, msgid);
  const s = m.session(openKfId, touser);
  const now = m.now();
  if (s.lastCustomerAt === null || now - s.lastCustomerAt > WINDOW_MS) {
    return m.refuse('send_msg', 'window', s.lastCustomerAt === null ? 95024 : 95002, msgid);
  }
  if (s.state !== 0 && s.state !== 1) return m.refuse('send_msg', 'state', FAKE_CODES.badState, msgid);
  if (s.sentSinceCustomer >= 5) return m.refuse('send_msg', 'cap', 95001, msgid);
  if (!m.claimMsgid(openKfId, msgid)) return m.refuse('send_msg', 'duplicate_msgid', FAKE_CODES.duplicateMsgid, msgid);
  s.sentSinceCustomer++;
  s.state = 1; // API replies put the customer in 智能助手接待
  m.sent.push({ via: 'send_msg', openKfId, touser, msgid, msgtype: str(body.msgtype), body, at: now });
  if (m.failNextSends > 0) {
    m.failNextSends--;
    m.append(openKfId, {
      origin: 4,
      msgtype: 'event',
      event: { event_type: 'msg_send_fail', open_kfid: openKfId, external_userid: touser, fail_msgid: msgid, fail_type: m.failType },
    });
  }
  return { errcode: 0, errmsg: 'ok', msgid };
}

export function sendMsgOnEvent(m: FakeModel, body: Json): Json {
  const code = m.codes.get(str(body.code));
  const msgid = str(body.msgid) || randomId('evt');
  if (!code || code.used) return m.refuse('send_msg_on_event', 'code', FAKE_CODES.badCode, msgid);
  const now = m.now();
  if (now >= code.expiresAt) return m.refuse('send_msg_on_event', 'code', FAKE_CODES.badCode, msgid);
  const s = m.session(code.openKfId, code.externalUserId);
  if (code.boundState !== null && s.state !== code.boundState) return m.refuse('send_msg_on_event', 'state', FAKE_CODES.badState, msgid);
  if (!MSGID.test(msgid) || contentProblem(body, code.msgtypes)) {
    return m.refuse('send_msg_on_event', 'invalid', FAKE_CODES.invalidParam, msgid);
  }
  if (!m.claimMsgid(code.openKfId, msgid)) {
    return m.refuse('send_msg_on_event', 'duplicate_msgid', FAKE_CODES.duplicateMsgid, msgid);
  }
  code.used = true;
  if (code.kind === 'welcome' && s.state === 0) s.state = 1;
  m.sent.push({ via: 'send_msg_on_event', openKfId: code.openKfId, touser: code.externalUserId, msgid, msgtype: str(body.msgtype), body, at: now });
  return { errcode: 0, errmsg: 'ok', msgid };
}

export function getServiceState(m: FakeModel, body: Json): Json {
  const openKfId = str(body.open_kfid);
  if (!m.openKfIds.has(openKfId)) return { errcode: 95000, errmsg: 'invalid open_kfid' };
  const s = m.session(openKfId, str(body.external_userid));
  return { errcode: 0, errmsg: 'ok', service_state: s.state, ...(s.state === 3 && s.servicer ? { servicer_userid: s.servicer } : {}) };
}

const ALLOWED: Record<ServiceState, readonly ServiceState[]> = { 0: [1, 2, 3], 1: [2, 3], 2: [3], 3: [3, 4], 4: [] };

/** Moves a session and emits what WeCom emits; used by the API and by the test's "servicer" actions. */
export function moveSession(
  m: FakeModel,
  input: { openKfId: string; externalUserId: string; to: ServiceState; servicer?: string; changeType?: 1 | 2 | 3 },
): { errcode: number; errmsg: string; msg_code?: string } {
  const s = m.session(input.openKfId, input.externalUserId);
  const from = s.state;
  if (!ALLOWED[from].includes(input.to)) return { errcode: FAKE_CODES.badTransition, errmsg: `cannot move ${from} → ${input.to}` };
  if (input.to === 3) {
    const status = input.servicer ? m.servicers.get(input.servicer) : undefined;
    if (status === undefined) return { errcode: FAKE_CODES.notServicer, errmsg: 'servicer_userid missing or not a servicer' };
    if (status !== 0) return { errcode: FAKE_CODES.servicerUnavailable, errmsg: 'servicer is not 接待中' };
    if (from === 3 && s.servicer === input.servicer) return { errcode: FAKE_CODES.badTransition, errmsg: 'already with this servicer' };
  }
  const oldServicer = s.servicer;
  s.state = input.to;
  s.servicer = input.to === 3 ? (input.servicer ?? null) : input.to === 4 ? null : s.servicer;
  const now = m.now();
  let msgCode: string | undefined;
  if ((input.to === 2 || input.to === 3) && from !== input.to) {
    msgCode = m.issueCode({ kind: 'reply', openKfId: input.openKfId, externalUserId: input.externalUserId, expiresAt: now + WINDOW_MS, boundState: input.to, msgtypes: ['text'] });
  } else if (input.to === 4) {
    msgCode = m.issueCode({ kind: 'end', openKfId: input.openKfId, externalUserId: input.externalUserId, expiresAt: now + 20_000, boundState: 4, msgtypes: ['text', 'msgmenu'] });
  }
  // WeCom reports servicer changes and endings as session_status_change; a move into the pool has no servicer yet.
  if (input.to === 3 || input.to === 4) {
    const changeType = input.changeType ?? (input.to === 4 ? 3 : 2);
    statusChange(m, input, {
      change_type: changeType,
      ...(oldServicer && changeType !== 1 ? { old_servicer_userid: oldServicer } : {}),
      ...(input.to === 3 ? { new_servicer_userid: input.servicer } : {}),
      ...(msgCode && changeType !== 2 ? { msg_code: msgCode } : {}),
    });
  }
  return { errcode: 0, errmsg: 'ok', ...(msgCode ? { msg_code: msgCode } : {}) };
}

export function transServiceState(m: FakeModel, body: Json): Json {
  const openKfId = str(body.open_kfid);
  if (!m.openKfIds.has(openKfId)) return { errcode: 95000, errmsg: 'invalid open_kfid' };
  const to = Number(body.service_state);
  if (![1, 2, 3, 4].includes(to)) return { errcode: FAKE_CODES.invalidParam, errmsg: 'invalid service_state' };
  return moveSession(m, {
    openKfId,
    externalUserId: str(body.external_userid),
    to: to as ServiceState,
    ...(str(body.servicer_userid) ? { servicer: str(body.servicer_userid) } : {}),
  });
}

/**
 * A servicer re-takes an ended session, or one transferred away from them, in the WeCom client
 * (session_status_change change_type 4: old and new servicer, no msg_code; document/path/94670).
 */
export function retakeSession(m: FakeModel, input: { openKfId: string; externalUserId: string; servicer: string }): Json {
  const s = m.session(input.openKfId, input.externalUserId);
  if (s.state !== 4 && s.state !== 3) return { errcode: FAKE_CODES.badTransition, errmsg: `cannot re-take a session in state ${s.state}` };
  if (s.state === 3 && s.servicer === input.servicer) return { errcode: FAKE_CODES.badTransition, errmsg: 'already with this servicer' };
  const old = s.servicer ?? input.servicer;
  s.state = 3;
  s.servicer = input.servicer;
  return statusChange(m, input, { change_type: 4, old_servicer_userid: old, new_servicer_userid: input.servicer });
}

/** Appends a session_status_change event (origin 4, customer ids inside `event`). */
function statusChange(m: FakeModel, who: { openKfId: string; externalUserId: string }, fields: Json): Json {
  return m.append(who.openKfId, {
    origin: 4,
    msgtype: 'event',
    event: { event_type: 'session_status_change', open_kfid: who.openKfId, external_userid: who.externalUserId, ...fields },
  });
}
