/**
 * Payloads in the shapes the real WeCom sends, each built from a public sample named next to it (read, not
 * copied: ids and words are ours). Tests feed them through the fake WeCom and the receiver exactly as WeCom
 * would deliver them.
 */

/**
 * send_msg refused for the session state. Code and meaning from the global error code page
 * https://developer.work.weixin.qq.com/document/path/90313 (generated into xen0n/go-workwx errcodes/mod.go:
 * "ErrCode95018 发送客服消息时当前会话状态不允许发送 / 可能是会话状态不能通过api调用发送，或者会话已经超过48小时").
 */
export const SEND_REFUSED_FOR_STATE = { errcode: 95018, meaning: '发送客服消息时当前会话状态不允许发送' } as const;

/**
 * session_status_change with change_type 4 「重新接入已结束/已转接会话」: old_servicer_userid is set for 2, 3 and 4,
 * new_servicer_userid for 1, 2 and 4, msg_code only for 1 and 3. Source: 读取消息
 * https://developer.work.weixin.qq.com/document/path/94670, field notes mirrored in xen0n/go-workwx kf.md.go (KfEvent).
 */
export function retakeEvent(openKfId: string, externalUserId: string, oldServicer: string, newServicer: string) {
  return {
    origin: 4,
    msgtype: 'event',
    event: {
      event_type: 'session_status_change',
      open_kfid: openKfId,
      external_userid: externalUserId,
      change_type: 4,
      old_servicer_userid: oldServicer,
      new_servicer_userid: newServicer,
    },
  };
}

/**
 * A forwarded chat record: every item's msg_content is a JSON string holding a whole message,
 * `{"msgtype":"text","text":{"content":…}}`. Source: 读取消息 (聊天记录消息 merged_msg)
 * https://developer.work.weixin.qq.com/document/path/94670.
 */
export const MERGED_MSG = {
  title: '小王和商家的聊天记录',
  item: [
    { send_time: 1718000000, msgtype: 'text', sender_name: '小王', msg_content: JSON.stringify({ msgtype: 'text', text: { content: '杯子收到就漏水' } }) },
    { send_time: 1718000030, msgtype: 'text', sender_name: '店小二', msg_content: JSON.stringify({ msgtype: 'text', text: { content: '麻烦拍个照片' } }) },
    { send_time: 1718000060, msgtype: 'image', sender_name: '小王', msg_content: JSON.stringify({ msgtype: 'image', image: { md5sum: 'f1e2d3' } }) },
  ],
};

/**
 * A menu message in the log (head, click/view/miniprogram/text items, tail). Shape from binarywang/WxJava
 * weixin-java-cp bean/kf/msg/WxCpKfMenuMsg.java, the `msgmenu` member of bean/kf/WxCpKfMsgListResp.java.
 */
export const MSGMENU = {
  head_content: '您对本次服务是否满意？',
  list: [
    { type: 'click', click: { id: 'sat_1', content: '满意' } },
    { type: 'view', view: { url: 'https://example.com/faq', content: '常见问题' } },
    { type: 'text', text: { content: '其他问题请直接留言' } },
  ],
  tail_content: '欢迎再次光临',
};

/**
 * 视频号小店 cards. Field names (head_img, shop_head_img; product_titles is one string; sales_price in 分 as a
 * string) from binarywang/WxJava weixin-java-cp bean/kf/msg/WxCpKfChannelsShopProductMsg.java and
 * WxCpKfChannelsShopOrderMsg.java.
 */
export const SHOP_PRODUCT = {
  product_id: '10000029842937',
  head_img: 'https://example.com/p.jpg',
  title: '真空保温杯 500ml',
  sales_price: '4990',
  shop_nickname: '本店',
  shop_head_img: 'https://example.com/s.jpg',
};
export const SHOP_ORDER = {
  order_id: '3705115058471208928',
  product_titles: '真空保温杯 500ml',
  price_wording: '¥49.90',
  state: '待收货',
  image_url: 'https://example.com/o.jpg',
  shop_nickname: '本店',
};

/**
 * 客服账号授权变更事件: one AuthAddOpenKfId / AuthDelOpenKfId element per account ("多个AuthAddOpenKfId节点表示多个新增
 * 账号"). Source: https://developer.work.weixin.qq.com/document/path/97712, sample in binarywang/WxJava
 * weixin-java-cp src/test/.../api/impl/WxCpKfServiceImplTest.java (testEvent).
 */
export function kfAuthChangeXml(corpId: string, added: string[], removed: string[]): string {
  return (
    `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    `<CreateTime>1348831860</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
    `<Event><![CDATA[kf_account_auth_change]]></Event>` +
    added.map((id) => `<AuthAddOpenKfId><![CDATA[${id}]]></AuthAddOpenKfId>`).join('') +
    removed.map((id) => `<AuthDelOpenKfId><![CDATA[${id}]]></AuthDelOpenKfId>`).join('') +
    `</xml>`
  );
}

/**
 * 客户群变更事件 with the changed members nested as MemChangeList/Item. Source:
 * https://developer.work.weixin.qq.com/document/path/92130, element layout as modelled in colinin/abp-next-admin
 * aspnet-core/framework/wechat/LINGYUN.Abp.WeChat.Work.ExternalContact/.../ExternalChatChangeMemberEvent.cs.
 */
export function groupMembersChangedXml(corpId: string, chatId: string, members: string[]): string {
  return (
    `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    `<CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
    `<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[${chatId}]]></ChatId>` +
    `<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail>` +
    `<JoinScene>1</JoinScene><QuitScene>0</QuitScene><MemChangeCnt>${members.length}</MemChangeCnt>` +
    `<MemChangeList>${members.map((m) => `<Item>${m}</Item>`).join('')}</MemChangeList>` +
    `<LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer><CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer>` +
    `</xml>`
  );
}
