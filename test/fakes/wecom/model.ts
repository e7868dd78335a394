/**
 * State of the fake WeCom (platforms.md §7): tokens, the kf message log that sync_msg pages through, sessions
 * with their service_state, single-use event codes, media, and everything a test asserts on (gettoken calls,
 * messages sent, refused sends by reason).
 */
import { randomBytes } from 'node:crypto';

export interface FakeClock {
  now(): number;
}

export type Json = Record<string, unknown>;

export const DAY_MS = 24 * 3600 * 1000;
export const WINDOW_MS = 48 * 3600 * 1000;
export const RETENTION_MS = 3 * DAY_MS;
export const CALLBACK_TOKEN_TTL_MS = 10 * 60 * 1000;

/**
 * Error codes the fake returns. The 950xx ones are official: the global error code page
 * https://developer.work.weixin.qq.com/document/path/90313 (as generated into xen0n/go-workwx errcodes/mod.go):
 * 95018 「发送客服消息时当前会话状态不允许发送」, 95016 「不允许这种状态转移」, 95014 「用户不是接待人员」,
 * 95019 「接待人员已停止接待或暂时挂起」, 40058 「不合法的参数」, 40056 「不合法的agentid」.
 * UNCONFIRMED (no public sample): a reused msgid (95036) and a used or expired event code (41050 is the
 * official 「无效的欢迎语code」 of 客户联系; kf's own code for it is not documented).
 */
export const FAKE_CODES = {
  duplicateMsgid: 95036,
  badState: 95018,
  badCode: 41050,
  badTransition: 95016,
  notServicer: 95014,
  servicerUnavailable: 95019,
  invalidParam: 40058,
  badAgent: 40056,
} as const;

export interface LogEntry {
  seq: number;
  openKfId: string;
  at: number;
  item: Json;
}

export type ServiceState = 0 | 1 | 2 | 3 | 4;

export interface Session {
  state: ServiceState;
  servicer: string | null;
  lastCustomerAt: number | null;
  sentSinceCustomer: number;
  /** Welcome offered or customer message seen: no new welcome_code for 48 h. */
  lastWelcomeOrMessageAt: number | null;
}

export interface EventCode {
  code: string;
  kind: 'welcome' | 'reply' | 'end';
  openKfId: string;
  externalUserId: string;
  expiresAt: number;
  used: boolean;
  /** Except welcome codes, a code works only while the session is still in this state. */
  boundState: ServiceState | null;
  msgtypes: readonly string[];
}

export interface SentMessage {
  via: 'send_msg' | 'send_msg_on_event';
  openKfId: string;
  touser: string;
  msgid: string;
  msgtype: string;
  body: Json;
  at: number;
}

export type RefusalReason = 'window' | 'cap' | 'duplicate_msgid' | 'state' | 'code' | 'invalid';

export interface Refusal {
  endpoint: string;
  reason: RefusalReason;
  errcode: number;
  msgid?: string;
}

export interface Media {
  id: string;
  type: 'image' | 'voice' | 'video' | 'file';
  bytes: Buffer;
  filename: string;
  createdAt: number;
  downloads: number;
}

export interface Alert {
  kind: 'app' | 'robot';
  body: Json;
  at: number;
  dropped?: boolean;
}

export interface FakeWecomOptions {
  corpId: string;
  /** The kf secret; `appSecrets` may add the internal alert app's. */
  secret: string;
  appSecrets?: string[];
  openKfIds?: string[];
  servicers?: { userid: string; status: 0 | 1 }[];
  /** Members known to message/send; others come back in `invaliduser`. */
  users?: string[];
  agentId?: number;
  robotKey?: string;
  clock?: FakeClock;
}

export const randomId = (prefix: string, bytes = 9): string => `${prefix}${randomBytes(bytes).toString('base64url')}`;

export class FakeModel {
  readonly clock: FakeClock;
  readonly openKfIds: Set<string>;
  readonly servicers = new Map<string, 0 | 1>();
  readonly users: Set<string>;
  readonly log: LogEntry[] = [];
  readonly sessions = new Map<string, Session>();
  readonly codes = new Map<string, EventCode>();
  readonly callbackTokens = new Map<string, { openKfId: string; expiresAt: number }>();
  readonly media = new Map<string, Media>();
  readonly usedMsgids = new Map<string, Set<string>>();
  readonly nicknames = new Map<string, string>();
  readonly sent: SentMessage[] = [];
  readonly refusals: Refusal[] = [];
  readonly alerts: Alert[] = [];
  readonly calls = new Map<string, number>();
  gettokenCalls = 0;
  /** Knob: the next N accepted send_msg calls are followed by a msg_send_fail event. */
  failNextSends = 0;
  failType = 0;
  /** Knob: the next N sync_msg calls answer `has_more: 1` with an empty list (it happens). */
  emptyPagesNext = 0;
  private seq = 0;
  private readonly appendListeners: ((openKfId: string) => void)[] = [];

  constructor(readonly opts: FakeWecomOptions) {
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.openKfIds = new Set(opts.openKfIds ?? ['wkAAA111']);
    for (const s of opts.servicers ?? [{ userid: 'zhangsan', status: 0 }]) this.servicers.set(s.userid, s.status);
    this.users = new Set(opts.users ?? ['zhangsan', 'lisi']);
  }

  now(): number {
    return this.clock.now();
  }

  session(openKfId: string, externalUserId: string): Session {
    const key = `${openKfId}:${externalUserId}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = { state: 0, servicer: null, lastCustomerAt: null, sentSinceCustomer: 0, lastWelcomeOrMessageAt: null };
      this.sessions.set(key, s);
    }
    return s;
  }

  onAppend(listener: (openKfId: string) => void): void {
    this.appendListeners.push(listener);
  }

  /** Appends to the log sync_msg reads; `item` gets msgid and send_time unless given. */
  append(openKfId: string, item: Json): Json {
    const at = this.now();
    const full: Json = { msgid: randomId('msg'), send_time: Math.floor(at / 1000), ...item };
    this.log.push({ seq: ++this.seq, openKfId, at, item: full });
    for (const l of this.appendListeners) l(openKfId);
    return full;
  }

  issueCode(input: Omit<EventCode, 'code' | 'used'>): string {
    const code = randomId('CODE', 12);
    this.codes.set(code, { ...input, code, used: false });
    return code;
  }

  refuse(endpoint: string, reason: RefusalReason, errcode: number, msgid?: string): Json {
    this.refusals.push({ endpoint, reason, errcode, ...(msgid ? { msgid } : {}) });
    return { errcode, errmsg: `refused: ${reason}` };
  }

  /** Marks a msgid used for this kf account; false when it was used before. */
  claimMsgid(openKfId: string, msgid: string): boolean {
    let used = this.usedMsgids.get(openKfId);
    if (!used) {
      used = new Set();
      this.usedMsgids.set(openKfId, used);
    }
    if (used.has(msgid)) return false;
    used.add(msgid);
    return true;
  }
}
