/**
 * GET/POST /webhooks/wecom-bot — the WeCom 智能机器人 callback (JSON variant, WeCom 加解密方案 (document/path/90968)), on only when
 * WECOM_BOT_TOKEN + WECOM_BOT_ENCODING_AES_KEY are set. GET answers the URL check with the bare decrypted
 * echostr; POST verifies (64 KB cap, signature, ±5 min timestamp, receive id ""), hands the message to the
 * group complaint radar and answers with the encrypted passive reply, or an empty 200.
 */
import type { CallbackQuery } from '../../src/channels/wecom/receiver.js';
import { createRadar, openBotCallback, openBotEcho, parseBotMessage, sealBotReply } from '../../src/radar/index.js';
import type { RouteModule } from './app.js';
import { readRawBody } from './raw-body.js';

export const wecomBotRoutes: RouteModule = (router, s) => {
  const secrets = s.config.wecomBot;
  if (!secrets) return;
  const radar = createRadar(s);

  router.get('/webhooks/wecom-bot', (ctx) => {
    const plaintext = openBotEcho(secrets, ctx.query as CallbackQuery);
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.body = plaintext;
  });

  router.post('/webhooks/wecom-bot', async (ctx) => {
    const raw = await readRawBody(ctx);
    const message = parseBotMessage(openBotCallback(secrets, ctx.query as CallbackQuery, raw, s.clock.now()));
    const reply = await radar.handle(message);
    ctx.status = 200;
    if (!reply) {
      ctx.body = '';
      return;
    }
    ctx.type = 'application/json';
    ctx.body = sealBotReply(secrets, JSON.stringify(reply), s.clock.now());
  });
};
