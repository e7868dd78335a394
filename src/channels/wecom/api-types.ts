/**
 * WeCom 微信客服 API shapes (WeCom 微信客服 API docs). They stay inside src/channels/wecom; the rest of the service
 * only sees InboundMessage / OutboundReply. Fields are optional where the platform may omit them: everything
 * arriving from sync_msg is untrusted and read defensively.
 */

export interface WecomResponse {
  errcode: number;
  errmsg?: string;
}

export interface SyncMsgRequest {
  cursor?: string;
  token?: string;
  limit?: number;
  voice_format?: 0 | 1;
  open_kfid: string;
}

export interface SyncEvent {
  event_type?: string;
  open_kfid?: string;
  external_userid?: string;
  scene?: string;
  scene_param?: string;
  welcome_code?: string;
  fail_msgid?: string;
  fail_type?: number;
  servicer_userid?: string;
  status?: number;
  change_type?: number;
  old_servicer_userid?: string;
  new_servicer_userid?: string;
  msg_code?: string;
  recall_msgid?: string;
  [extra: string]: unknown;
}

export interface SyncItem {
  msgid?: string;
  open_kfid?: string;
  external_userid?: string;
  send_time?: number;
  origin?: number;
  servicer_userid?: string;
  msgtype?: string;
  event?: SyncEvent;
  [body: string]: unknown;
}

export interface SyncMsgResponse extends WecomResponse {
  next_cursor?: string;
  has_more?: number;
  msg_list?: SyncItem[];
}

export type MenuItem =
  | { type: 'click'; click: { id: string; content: string } }
  | { type: 'view'; view: { url: string; content: string } };

export type SendBody =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'msgmenu'; msgmenu: { head_content?: string; list: MenuItem[]; tail_content?: string } };

export type SendMsgRequest = SendBody & { touser: string; open_kfid: string; msgid?: string };
export type SendOnEventRequest = SendBody & { code: string; msgid?: string };

export interface SendMsgResponse extends WecomResponse {
  msgid?: string;
}

export interface ServiceStateResponse extends WecomResponse {
  service_state?: number;
  servicer_userid?: string;
}

export interface TransResponse extends WecomResponse {
  msg_code?: string;
}

export interface BatchGetResponse extends WecomResponse {
  customer_list?: { external_userid?: string; nickname?: string }[];
  invalid_external_userid?: string[];
}

export interface UploadResponse extends WecomResponse {
  type?: string;
  media_id?: string;
  created_at?: string | number;
}

/** kf/account/list (developer.work.weixin.qq.com/document/path/94661): offset, limit 1–100. */
export interface AccountListResponse extends WecomResponse {
  account_list?: { open_kfid?: string; name?: string; manage_privilege?: boolean }[];
}
