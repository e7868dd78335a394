/**
 * GET/POST /webhooks/wecom — WeCom 微信客服 callbacks. GET answers the URL check with the decrypted echostr;
 * POST goes through the generic webhook handler with the WeCom receiver (timestamp window, signature, decrypt,
 * receive id, safe XML → one sync job per kf callback Token → an empty 200 within milliseconds). Rejections are
 * AppErrors whose code is the reason the error middleware counts in asa_webhook_rejected_total.
 */
import type { Router } from '@koa/router';
import { notFound } from '../../src/core/errors.js';
import { createWecomReceiver } from '../../src/channels/wecom/index.js';
import { openEcho } from '../../src/channels/wecom/receiver.js';
import { isGroupChangeEvent, onGroupChangeEvent } from '../../src/radar/groups.js';
import type { Services } from '../../src/services.js';
import { webhookRoute } from './webhook.js';

export function wecomRoutes(router: Router, s: Services): void {
  const log = s.log.child({ route: 'webhooks/wecom' });
  const wecom = s.config.wecom;

  router.get('/webhooks/wecom', (ctx) => {
    if (!wecom) throw notFound('channel_off', 'WeCom channel is not configured');
    const plaintext = openEcho(wecom, ctx.query);
    // The body must be the bare plaintext: no quotes, BOM or newline (WeCom 加解密方案, developer.work.weixin.qq.com/document/path/90968).
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.body = plaintext;
  });

  webhookRoute(router, s, '/webhooks/wecom', wecom ? createWecomReceiver(wecom) : null, {
    onNotice: (fields) => {
      // 客户联系 group changes keep the radar's list of groups and their managers.
      if (isGroupChangeEvent(fields)) onGroupChangeEvent(s, fields);
      else log.info({ msgType: fields.MsgType, event: fields.Event }, 'WeCom callback of another kind acknowledged and ignored');
    },
  });
}
