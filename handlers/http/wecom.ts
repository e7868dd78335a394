/**
 * GET/POST /webhooks/wecom — WeCom 微信客服 callbacks. GET answers the URL check with the decrypted echostr;
 * POST verifies (timestamp window, signature, decrypt, receive id, safe XML), dedupes the kf callback Token
 * and enqueues a sync, answering an empty 200 within milliseconds. Rejections are AppErrors whose code is the
 * reason the error middleware counts in asa_webhook_rejected_total.
 */
import { createHash } from 'node:crypto';
import type { Router } from '@koa/router';
import { notFound } from '../../src/core/errors.js';
import { maskId } from '../../src/core/mask.js';
import { openCallback, openEcho } from '../../src/channels/wecom/receiver.js';
import { isGroupChangeEvent, onGroupChangeEvent } from '../../src/radar/groups.js';
import type { Services } from '../../src/services.js';
import { readRawBody } from './raw-body.js';

/** The kf callback Token is valid 10 min; WeCom's retries of one callback all fall inside that. */
const TOKEN_DEDUPE_S = 600;

const digest = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);

export function wecomRoutes(router: Router, s: Services): void {
  const log = s.log.child({ route: 'webhooks/wecom' });
  const secrets = () => {
    const wecom = s.config.wecom;
    if (!wecom) throw notFound('channel_off', 'WeCom channel is not configured');
    return wecom;
  };

  router.get('/webhooks/wecom', (ctx) => {
    const plaintext = openEcho(secrets(), ctx.query);
    // The body must be the bare plaintext: no quotes, BOM or newline (WeCom 加解密方案, developer.work.weixin.qq.com/document/path/90968).
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.body = plaintext;
  });

  router.post('/webhooks/wecom', async (ctx) => {
    const wecom = secrets();
    const raw = await readRawBody(ctx);
    const { fields, lists } = openCallback(wecom, ctx.query, raw, s.clock.now());
    ctx.status = 200;
    ctx.body = '';

    // 客户联系 group changes keep the radar's list of groups and their managers.
    if (isGroupChangeEvent(fields)) {
      onGroupChangeEvent(s, fields);
      return;
    }
    // kf accounts granted to or taken from this app, one AuthAddOpenKfId / AuthDelOpenKfId element each
    // (https://developer.work.weixin.qq.com/document/path/97712); their messages come through kf_msg_or_event.
    if (fields.MsgType === 'event' && fields.Event === 'kf_account_auth_change') {
      const added = (lists.AuthAddOpenKfId ?? []).map((id) => maskId(id));
      const removed = (lists.AuthDelOpenKfId ?? []).map((id) => maskId(id));
      log.info({ added, removed }, 'kf account authorization changed');
      return;
    }
    if (fields.MsgType !== 'event' || fields.Event !== 'kf_msg_or_event') {
      log.info({ msgType: fields.MsgType, event: fields.Event }, 'WeCom callback of another kind acknowledged and ignored');
      return;
    }
    const token = fields.Token ?? '';
    const openKfId = fields.OpenKfId ?? '';
    if (!token || !openKfId || token.length > 128 || !/^[A-Za-z0-9_-]{1,64}$/.test(openKfId)) {
      // Signed by WeCom, so not an attack: acknowledge (a retry would not fix it) and leave a trace.
      log.warn({ hasToken: token.length > 0, openKfId: maskId(openKfId) }, 'kf callback without usable Token/OpenKfId');
      return;
    }
    const tokenId = digest(token);
    const key = `${s.config.queuePrefix}:wecom:cb:${tokenId}`;
    // WeCom re-sends a callback it thinks we missed; one sync per Token is enough (msgids dedupe the rest).
    if ((await s.redis.set(key, '1', 'EX', TOKEN_DEDUPE_S, 'NX')) === null) return;
    try {
      await s.queues.add('wecom-sync', { openKfId, token }, { jobId: `wecom-sync-${tokenId}` });
    } catch (err) {
      // Without the job the key would swallow WeCom's retry of this callback: let the retry through.
      await s.redis.del(key).catch(() => undefined);
      throw err;
    }
  });
}
