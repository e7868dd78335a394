/**
 * The WeCom callback receiver for the generic webhook handler. A 微信客服 callback carries no message, only a
 * Token and an OpenKfId: it becomes one 'wecom-sync' job (kf/sync_msg pulls the messages, see ./sync.ts), claimed
 * once per Token, because WeCom re-sends a callback it thinks we missed (msgids dedupe the rest). Other callbacks
 * are notices for the route's hook (客户联系 group changes) or acknowledged with a log line. WeCom wants an empty
 * 200 within 5 s (https://developer.work.weixin.qq.com/document/path/94670). Pure.
 */
import { createHash } from 'node:crypto';
import { maskId } from '../../core/mask.js';
import type { ChannelReceiver, WebhookEvent } from '../types.js';
import { decryptCallback, verifyCallback, type CallbackSecrets } from './receiver.js';

/** The kf callback Token is valid 10 min; WeCom's retries of one callback all fall inside that. */
const TOKEN_CLAIM_S = 600;
const OPEN_KF_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TOKEN = 128;

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

export function createWecomReceiver(secrets: CallbackSecrets): ChannelReceiver {
  return {
    name: 'wecom',
    claimSeconds: TOKEN_CLAIM_S,
    verify: (d) => verifyCallback(secrets, d.query, d.raw, d.now),
    parse: (d) => [callbackEvent(decryptCallback(secrets, d.raw))],
    ack: { status: 200, body: '' },
  };
}

function callbackEvent({ fields, lists }: ReturnType<typeof decryptCallback>): WebhookEvent {
  // kf accounts granted to or taken from this app, one AuthAddOpenKfId / AuthDelOpenKfId element each
  // (https://developer.work.weixin.qq.com/document/path/97712); their messages come through kf_msg_or_event.
  if (fields.MsgType === 'event' && fields.Event === 'kf_account_auth_change') {
    const added = (lists.AuthAddOpenKfId ?? []).map((id) => maskId(id));
    const removed = (lists.AuthDelOpenKfId ?? []).map((id) => maskId(id));
    return { kind: 'ignore', level: 'info', note: 'kf account authorization changed', detail: { added, removed } };
  }
  if (fields.MsgType !== 'event' || fields.Event !== 'kf_msg_or_event') return { kind: 'notice', fields };
  const token = fields.Token ?? '';
  const openKfId = fields.OpenKfId ?? '';
  if (!token || !openKfId || token.length > MAX_TOKEN || !OPEN_KF_ID.test(openKfId)) {
    // Signed by WeCom, so not an attack: acknowledge (a retry would not fix it) and leave a trace.
    return { kind: 'ignore', level: 'warn', note: 'kf callback without usable Token/OpenKfId', detail: { hasToken: token.length > 0, openKfId: maskId(openKfId) } };
  }
  const tokenId = digest(token);
  return { kind: 'job', claimId: tokenId, job: { name: 'wecom-sync', data: { openKfId, token }, jobId: `wecom-sync-${tokenId}` } };
}
