/**
 * sync_msg items → InboundMessage (WeCom 微信客服 API docs). Every message type is mapped; unknown types are kept as
 * kind 'unknown' so nothing a customer sent is dropped. Media bytes are fetched by the sync, not here.
 */
import type { Author, EvidenceKind, InboundEvent, InboundMessage, MessageKind } from '../../core/types.js';
import { maskId } from '../../core/mask.js';
import type { SyncEvent, SyncItem } from './api-types.js';
import { describeEvent } from './map-event.js';

type Meta = InboundMessage['meta'];

export const MEDIA_KINDS: Readonly<Record<string, EvidenceKind>> = {
  image: 'image',
  voice: 'voice',
  video: 'video',
  file: 'file',
};

export function conversationKeyOf(openKfId: string, externalUserId: string): string {
  return `${openKfId}:${externalUserId}`;
}

/** Inverse of conversationKeyOf: open_kfid never contains ':'. */
export function targetOf(key: string): { openKfId: string; externalUserId: string } | null {
  const at = key.indexOf(':');
  if (at <= 0 || at === key.length - 1) return null;
  return { openKfId: key.slice(0, at), externalUserId: key.slice(at + 1) };
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
export const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const join = (...parts: string[]): string => parts.filter((p) => p.trim().length > 0).join(' ');

interface Body {
  kind: MessageKind;
  text: string;
  orderId?: string;
  choiceId?: string;
  /** Only routing or context worth keeping on the conversation: the pipeline merges customer meta into it. */
  meta?: Meta;
}

function fen(v: unknown): string {
  const n = Number(str(v));
  return Number.isFinite(n) && str(v) !== '' ? `¥${(n / 100).toFixed(2)}` : '';
}

/** Labels for the message types a forwarded record (merged_msg) may hold besides text. */
const MERGED_LABELS: Readonly<Record<string, string>> = {
  image: '[图片]',
  voice: '[语音]',
  video: '[视频]',
  file: '[文件]',
  location: '[位置]',
  link: '[链接]',
  miniprogram: '[小程序]',
  merged_msg: '[聊天记录]',
};

/**
 * One line per forwarded message. Each item's msg_content is a JSON string holding a whole message,
 * `{"msgtype":"text","text":{"content":…}}` (读取消息, https://developer.work.weixin.qq.com/document/path/94670):
 * the words are kept, other types are named.
 */
function mergedText(body: Record<string, unknown>): string {
  const items = Array.isArray(body.item) ? body.item : [];
  const lines = items.slice(0, 50).map((raw) => {
    const item = rec(raw);
    let inner: Record<string, unknown> = {};
    try {
      inner = rec(JSON.parse(str(item.msg_content)) as unknown);
    } catch {
      // Not JSON: the line is shown by its type only.
    }
    const type = str(inner.msgtype) || str(item.msgtype);
    const words = type === 'text' ? str(rec(inner.text).content) : '';
    return `${str(item.sender_name)}: ${words || MERGED_LABELS[type] || '[消息]'}`;
  });
  return [`[聊天记录] ${str(body.title)}`.trim(), ...lines].join('\n');
}

/** A menu message (head, item labels, tail) as the words the customer saw. */
function menuText(body: Record<string, unknown>): string {
  const list = Array.isArray(body.list) ? body.list : [];
  const labels = list.map((raw) => {
    const item = rec(raw);
    return str(rec(item[str(item.type)]).content);
  });
  return join('[菜单]', str(body.head_content), labels.filter(Boolean).join(' / '), str(body.tail_content));
}

function mapBody(msgtype: string, body: Record<string, unknown>): Body {
  switch (msgtype) {
    case 'text': {
      const menuId = str(body.menu_id);
      return menuId
        ? { kind: 'choice', text: str(body.content), choiceId: menuId }
        : { kind: 'text', text: str(body.content) };
    }
    case 'image':
      return { kind: 'image', text: '[图片]' };
    case 'voice':
      return { kind: 'voice', text: '[语音]' };
    case 'video':
      return { kind: 'video', text: '[视频]' };
    case 'file':
      return { kind: 'file', text: '[文件]' };
    case 'location':
      return { kind: 'location', text: join('[位置]', str(body.name), str(body.address)) };
    case 'link':
      return { kind: 'link', text: join('[链接]', str(body.title), str(body.desc)) };
    case 'business_card':
      return { kind: 'card', text: '[名片]' };
    case 'miniprogram':
      return { kind: 'miniprogram', text: join('[小程序]', str(body.title)) };
    case 'channels_shop_product':
      return {
        kind: 'product',
        text: join('[商品]', str(body.title), fen(body.sales_price), str(body.shop_nickname)),
        meta: { productId: str(body.product_id) },
      };
    case 'channels_shop_order': {
      const titles = Array.isArray(body.product_titles) ? body.product_titles.map(str).join('、') : str(body.product_titles);
      return {
        kind: 'order',
        text: join('[订单]', titles, str(body.price_wording), str(body.state)),
        orderId: str(body.order_id) || undefined,
      };
    }
    case 'merged_msg':
      return { kind: 'merged', text: mergedText(body) };
    case 'channels':
      return { kind: 'card', text: join('[视频号]', str(body.nickname), str(body.title)) };
    case 'msgmenu':
      // Shape as binarywang/WxJava weixin-java-cp bean/kf/msg/WxCpKfMenuMsg.java (head_content, list, tail_content).
      return { kind: 'text', text: menuText(body) };
    default:
      return { kind: 'unknown', text: '[暂不支持的消息类型]' };
  }
}

function authorOf(origin: unknown): Author {
  if (origin === 5) return 'agent';
  if (origin === 4) return 'system';
  return 'customer';
}

/**
 * Maps one item. Returns null for items that cannot be placed in a conversation (no msgid, or a message with
 * no external_userid); the caller logs those.
 */
export function mapSyncItem(item: SyncItem): InboundMessage | null {
  const msgid = str(item.msgid);
  const msgtype = str(item.msgtype);
  if (!msgid || !msgtype) return null;
  const sentAt = (typeof item.send_time === 'number' ? item.send_time : Number(item.send_time) || 0) * 1000;

  if (msgtype === 'event') {
    const ev: SyncEvent = rec(item.event);
    const openKfId = str(ev.open_kfid) || str(item.open_kfid);
    const described = describeEvent(ev, sentAt);
    const externalUserId = str(ev.external_userid) || str(item.external_userid) || described.fallbackUser;
    if (!openKfId || !externalUserId) return null;
    const event: InboundEvent = { type: described.type, data: described.data };
    return {
      channel: 'wecom',
      platformMsgId: msgid,
      conversationKey: conversationKeyOf(openKfId, externalUserId),
      platformUserId: externalUserId,
      sentAt,
      from: 'system',
      kind: 'event',
      text: described.text,
      attachments: [],
      event,
      meta: { openKfId, externalUserId, eventType: str(ev.event_type), ...described.meta },
    };
  }

  const openKfId = str(item.open_kfid);
  const externalUserId = str(item.external_userid);
  if (!openKfId || !externalUserId) return null;
  const body = mapBody(msgtype, rec(item[msgtype]));
  const from = authorOf(item.origin);
  const meta: Meta = { openKfId, externalUserId, msgtype, ...body.meta };
  if (from === 'agent' && item.servicer_userid) meta.servicer = maskId(str(item.servicer_userid));
  const kind = MEDIA_KINDS[msgtype];
  return {
    channel: 'wecom',
    platformMsgId: msgid,
    conversationKey: conversationKeyOf(openKfId, externalUserId),
    platformUserId: externalUserId,
    sentAt,
    from,
    kind: body.kind,
    text: body.text,
    ...(body.orderId ? { orderId: body.orderId } : {}),
    ...(body.choiceId ? { choiceId: body.choiceId } : {}),
    attachments: kind ? [{ kind }] : [],
    meta,
  };
}
