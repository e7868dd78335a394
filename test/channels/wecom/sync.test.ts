/** kf sync against the fake: every message type and event mapped, cursor per page, media once, nicknames. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSync } from '../../../src/channels/wecom/sync-runner.js';
import { cursorSetting } from '../../../src/channels/wecom/sync.js';
import type { InboundMessage } from '../../../src/core/types.js';
import { JPEG, KF, PNG, startWecomEnv, type WecomTestEnv } from './env.js';
import { MERGED_MSG, MSGMENU, SHOP_ORDER, SHOP_PRODUCT } from './fixtures.js';

let env: WecomTestEnv;
beforeAll(async () => {
  env = await startWecomEnv();
});
afterAll(async () => {
  await env.stop();
});

const sync = (token: string | null = null) => requestSync(env.services, env.client, KF, token);
async function inbound(msgid: string): Promise<InboundMessage> {
  const row = await env.services.store.findInbound('wecom', msgid);
  if (!row) throw new Error(`no inbox row for ${msgid}`);
  return row.message;
}

describe('kf sync mapping', () => {
  it('maps every customer message type', async () => {
    const u = 'wmTypes01';
    const f = env.fake;
    const ids = {
      text: f.customerText(KF, u, '0012 快递还没到'),
      choice: f.customerText(KF, u, '退款', 'resolution_refund'),
      image: f.customerMedia(KF, u, 'image', JPEG).msgid,
      voice: f.customerMedia(KF, u, 'voice', Buffer.from('#!AMR\n voice bytes')).msgid,
      video: f.customerMedia(KF, u, 'video', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42 video')])).msgid,
      file: f.customerMedia(KF, u, 'file', Buffer.from('%PDF-1.4 invoice')).msgid,
      location: f.customerSends(KF, u, 'location', { latitude: 23.1, longitude: 113.3, name: '天河区', address: '广州市天河路1号' }),
      link: f.customerSends(KF, u, 'link', { title: '商品页', desc: '看看这个', url: 'https://example.com/p', pic_url: '' }),
      card: f.customerSends(KF, u, 'business_card', { userid: 'zhangsan' }),
      mini: f.customerSends(KF, u, 'miniprogram', { title: '店铺小程序', appid: 'wx123', pagepath: 'p', thumb_media_id: 'x' }),
      product: f.customerSends(KF, u, 'channels_shop_product', SHOP_PRODUCT),
      order: f.customerSends(KF, u, 'channels_shop_order', SHOP_ORDER),
      merged: f.customerSends(KF, u, 'merged_msg', MERGED_MSG),
      menu: f.customerSends(KF, u, 'msgmenu', MSGMENU),
      channels: f.customerSends(KF, u, 'channels', { sub_type: 1, nickname: '主播', title: '开箱' }),
      weird: f.customerSends(KF, u, 'hologram', { depth: 3 }),
    };
    await sync();

    expect(await inbound(ids.text)).toMatchObject({ kind: 'text', text: '0012 快递还没到', from: 'customer', conversationKey: `${KF}:${u}`, platformUserId: u });
    expect(await inbound(ids.choice)).toMatchObject({ kind: 'choice', choiceId: 'resolution_refund', text: '退款' });
    const image = await inbound(ids.image);
    expect(image).toMatchObject({ kind: 'image', text: '[图片]' });
    expect(image.attachments[0]).toMatchObject({ kind: 'image', mime: 'image/jpeg', size: JPEG.length });
    expect((await inbound(ids.voice)).attachments[0]).toMatchObject({ kind: 'voice', mime: 'audio/amr' });
    expect((await inbound(ids.video)).attachments[0]).toMatchObject({ kind: 'video', mime: 'video/mp4' });
    expect((await inbound(ids.file)).attachments[0]).toMatchObject({ kind: 'file', mime: 'application/pdf' });
    expect(await inbound(ids.location)).toMatchObject({ kind: 'location', text: '[位置] 天河区 广州市天河路1号' });
    expect(await inbound(ids.link)).toMatchObject({ kind: 'link', text: '[链接] 商品页 看看这个' });
    expect(await inbound(ids.card)).toMatchObject({ kind: 'card' });
    expect(await inbound(ids.mini)).toMatchObject({ kind: 'miniprogram', text: '[小程序] 店铺小程序' });
    expect(await inbound(ids.product)).toMatchObject({ kind: 'product', text: '[商品] 真空保温杯 500ml ¥49.90 本店', meta: { productId: '10000029842937' } });
    expect(await inbound(ids.order)).toMatchObject({ kind: 'order', orderId: '3705115058471208928', text: '[订单] 真空保温杯 500ml ¥49.90 待收货' });
    // A forwarded chat keeps the words of every text item and names the others.
    expect(await inbound(ids.merged)).toMatchObject({ kind: 'merged', text: '[聊天记录] 小王和商家的聊天记录\n小王: 杯子收到就漏水\n店小二: 麻烦拍个照片\n小王: [图片]' });
    expect(await inbound(ids.menu)).toMatchObject({ kind: 'text', text: '[菜单] 您对本次服务是否满意？ 满意 / 常见问题 / 其他问题请直接留言 欢迎再次光临' });
    expect(await inbound(ids.channels)).toMatchObject({ kind: 'card', text: '[视频号] 主播 开箱' });
    expect(await inbound(ids.weird)).toMatchObject({ kind: 'unknown', meta: { msgtype: 'hologram' } });
  });

  it('maps events and servicer messages', async () => {
    const u = 'wmEvents01';
    const f = env.fake;
    const text = f.customerText(KF, u, '在吗');
    const { msgid: enter, welcomeCode } = f.enter(KF, 'wmNew0001');
    f.servicerTakes(KF, u, 'zhangsan');
    const agent = f.servicerText(KF, u, 'zhangsan', '您好，我是客服小张');
    f.endSession(KF, u);
    f.recall(KF, u, text);
    f.servicerStatus('zhangsan', 1);
    f.push(KF, { origin: 4, msgtype: 'event', event: { event_type: 'msg_send_fail', open_kfid: KF, external_userid: u, fail_msgid: 'bSomeOutboxKey', fail_type: 4 } });
    f.push(KF, { origin: 4, msgtype: 'event', event: { event_type: 'reject_customer_msg_switch_change', open_kfid: KF, external_userid: u } });
    await sync();

    const rows = await env.services.store.listInbound(
      (await env.services.store.findConversation('wecom', `${KF}:${u}`))?.id ?? '',
      50,
    );
    // Same-second items are ordered by msgid in the inbox, so look them up by type.
    const events = rows.map((r) => r.message).filter((m) => m.kind === 'event');
    const byType = (t: string) => events.find((m) => m.event?.type === t)?.event?.data;
    expect(events.map((m) => m.event?.type).sort()).toEqual(['human_released', 'human_took_over', 'recalled', 'send_failed', 'unknown']);
    expect(byType('human_took_over')).toMatchObject({ changeType: 1, servicer: 'zhan***' });
    expect(byType('human_released')).toMatchObject({ changeType: 3 });
    expect(byType('recalled')).toEqual({ platformMsgId: text });
    expect(byType('send_failed')).toMatchObject({ outboxKey: 'bSomeOutboxKey', failType: 4 });
    expect(byType('unknown')).toMatchObject({ eventType: 'reject_customer_msg_switch_change' });
    expect(events.every((m) => m.from === 'system')).toBe(true);
    expect(await inbound(agent)).toMatchObject({ from: 'agent', kind: 'text', meta: { servicer: 'zhan***' } });

    const entered = await inbound(enter);
    expect(entered.event).toEqual({ type: 'enter_session', data: { welcomeCode, scene: 'shop', sceneParam: 'oid=88' } });
    expect(entered.meta).toMatchObject({ welcomeCode, openKfId: KF, externalUserId: 'wmNew0001' });
    const conv = await env.services.store.findConversation('wecom', `${KF}:wmNew0001`);
    expect(conv?.meta).toMatchObject({ wecomWelcomeCode: welcomeCode });
    const ended = await env.services.store.findConversation('wecom', `${KF}:${u}`);
    expect(ended?.meta).toMatchObject({ wecomState: 'ended' });
    const servicerRow = await env.services.store.findConversation('wecom', `${KF}:_servicers`);
    expect(servicerRow).not.toBeNull();
  });

  it('persists the cursor per page, survives an empty has_more page and never ingests twice', async () => {
    const u = 'wmPaging01';
    for (let i = 0; i < 3; i++) env.fake.customerText(KF, u, `第${i}条`);
    env.fake.emptyPages(1);
    const first = await sync(env.fake.callbackToken(KF));
    expect(first.ran).toBe(true);
    const cursor = await env.services.store.getSetting(cursorSetting(KF));
    expect(cursor).toBeTruthy();
    const again = await sync();
    expect(again.ingested).toBe(0);
    expect(await env.services.store.getSetting(cursorSetting(KF))).toBe(cursor);
  });

  it('downloads each media once even when the cursor is lost, and fills the nickname once', async () => {
    const u = 'wmMedia001';
    env.fake.model.nicknames.set(u, '小王');
    const { msgid, mediaId } = env.fake.customerMedia(KF, u, 'image', PNG);
    await sync();
    const saved = await env.services.store.getSetting(cursorSetting(KF));
    await env.services.store.setSetting(cursorSetting(KF), '');
    await sync();
    expect(env.fake.mediaDownloads(mediaId)).toBe(1);
    const att = (await inbound(msgid)).attachments[0];
    expect(att?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const evidence = await env.services.store.getEvidence(att?.evidenceId ?? '');
    expect(evidence).toMatchObject({ channel: 'wecom', kind: 'image', mime: 'image/png', sha256: att?.sha256, source: mediaId });
    const customer = await env.services.store.upsertCustomer({ channel: 'wecom', platformUserId: u });
    expect(customer.nickname).toBe('小王');
    expect(env.fake.calls('kf/customer/batchget')).toBeGreaterThan(0);
    const batchCalls = env.fake.calls('kf/customer/batchget');
    env.fake.customerText(KF, u, '还在吗');
    await sync();
    expect(env.fake.calls('kf/customer/batchget')).toBe(batchCalls);
    expect(saved).toBeTruthy();
  });

  it('keeps a message whose media is over the cap, without evidence', async () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(3 * 1024 * 1024)]);
    const { msgid } = env.fake.customerMedia(KF, 'wmBig0001', 'image', big);
    await sync();
    const message = await inbound(msgid);
    expect(message.attachments).toEqual([{ kind: 'image' }]);
  });

  it('runs one sync per account at a time and loses no request', async () => {
    const u = 'wmConc001';
    const sent = Array.from({ length: 5 }, (_, i) => env.fake.customerText(KF, u, `并发${i}`));
    env.fake.server.delays.set('kf/sync_msg', 30);
    env.fake.server.maxInflight.delete('kf/sync_msg');
    const runs = await Promise.all(Array.from({ length: 8 }, () => sync(env.fake.callbackToken(KF))));
    env.fake.server.delays.delete('kf/sync_msg');
    expect(env.fake.server.maxInflight.get('kf/sync_msg')).toBe(1);
    // Requests that found the lock taken were served by the holder's loop instead of pulling in parallel.
    expect(runs.filter((r) => !r.ran).length).toBeGreaterThan(0);
    for (const id of sent) expect(await env.services.store.findInbound('wecom', id)).not.toBeNull();
    expect(await env.services.redis.exists(`${env.services.config.queuePrefix}:wecom:sync:${KF}:dirty`)).toBe(0);
  });

  it('falls back to a tokenless pull when the callback token is refused', async () => {
    const id = env.fake.customerText(KF, 'wmTok0001', '令牌过期');
    await sync('ENCexpiredOrForged');
    expect(await env.services.store.findInbound('wecom', id)).not.toBeNull();
  });
});
