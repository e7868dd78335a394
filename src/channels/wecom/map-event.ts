/**
 * kf events (msgtype "event", WeCom 微信客服 API docs) → channel-neutral InboundEvent. Servicer ids are masked in
 * event data because the pipeline may log it; the codes in `meta` are what the sender needs to answer.
 */
import type { InboundEvent, InboundMessage } from '../../core/types.js';
import { maskId } from '../../core/mask.js';
import type { SyncEvent } from './api-types.js';

/** welcome_code and session-end msg_code are valid for 20 s after the event (WeCom 微信客服 事件 doc, developer.work.weixin.qq.com/document/path/95122). */
export const SHORT_CODE_TTL_MS = 20_000;

/** Pseudo-customer owning events about servicers rather than a customer (servicer_status_change). */
export const SERVICER_EVENTS_USER = '_servicers';

export interface DescribedEvent {
  type: InboundEvent['type'];
  data: InboundEvent['data'];
  text: string;
  meta: InboundMessage['meta'];
  /** Conversation owner for events that have no customer (servicer status). */
  fallbackUser: string;
}

const s = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const n = (v: unknown): number | null => (typeof v === 'number' ? v : s(v) === '' ? null : Number(s(v)));

function decode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function describeEvent(ev: SyncEvent, sentAt: number): DescribedEvent {
  const type = s(ev.event_type);
  const base = { meta: {}, fallbackUser: '' };
  switch (type) {
    case 'enter_session': {
      const code = s(ev.welcome_code);
      const meta: InboundMessage['meta'] = { scene: s(ev.scene), sceneParam: decode(s(ev.scene_param)) };
      if (code) {
        meta.welcomeCode = code;
        meta.welcomeCodeExpiresAt = sentAt + SHORT_CODE_TTL_MS;
      }
      return {
        ...base,
        type: 'enter_session',
        data: { welcomeCode: code || null, scene: s(ev.scene), sceneParam: decode(s(ev.scene_param)) },
        text: '[进入会话]',
        meta,
      };
    }
    case 'session_status_change': {
      const change = n(ev.change_type);
      if (change === 3) {
        const code = s(ev.msg_code);
        return {
          ...base,
          type: 'human_released',
          data: { changeType: 3, servicer: maskId(s(ev.old_servicer_userid)) },
          text: '[会话结束]',
          meta: code ? { endCode: code, endCodeExpiresAt: sentAt + SHORT_CODE_TTL_MS } : {},
        };
      }
      // 1 taken from the pool, 2 transferred, 4 a servicer re-took an ended or transferred session
      // (「重新接入已结束/已转接会话」, https://developer.work.weixin.qq.com/document/path/94670): a person has it.
      if (change === 1 || change === 2 || change === 4) {
        return {
          ...base,
          type: 'human_took_over',
          data: { changeType: change, servicer: maskId(s(ev.new_servicer_userid)) },
          text: '[人工接待]',
        };
      }
      return { ...base, type: 'unknown', data: { eventType: type, changeType: change }, text: '[会话状态变更]' };
    }
    case 'msg_send_fail':
      return {
        ...base,
        type: 'send_failed',
        data: { outboxKey: s(ev.fail_msgid), failMsgid: s(ev.fail_msgid), failType: n(ev.fail_type) },
        text: '[消息发送失败]',
      };
    case 'user_recall_msg':
      return { ...base, type: 'recalled', data: { platformMsgId: s(ev.recall_msgid) }, text: '[客户撤回了一条消息]' };
    case 'servicer_status_change':
      return {
        ...base,
        type: 'servicer_status',
        data: { servicer: maskId(s(ev.servicer_userid)), status: n(ev.status) },
        text: '[接待人员状态变更]',
        fallbackUser: SERVICER_EVENTS_USER,
      };
    default:
      return { ...base, type: 'unknown', data: { eventType: type }, text: '[事件]' };
  }
}
