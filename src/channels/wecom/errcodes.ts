/** WeCom errcodes the adapter acts on (WeCom 全局错误码, developer.work.weixin.qq.com/document/path/90313). */

/** Token invalid, expired or missing: refresh once and retry. */
export const TOKEN_ERRORS: ReadonlySet<number> = new Set([40014, 42001, 41001]);
/** System busy: retry at most 3 times (document/path/90455). */
export const BUSY = -1;
/** Worth a later retry by the job, not by the client: rate limit, concurrency limit, busy after 3 tries. */
export const RETRY_LATER: ReadonlySet<number> = new Set([-1, 45009, 45033]);
/** sync_msg callback token invalid or older than 10 min: pull without it. */
export const BAD_SYNC_TOKEN = 95007;

/**
 * send_msg refusals that mean "not now, a person has to take it": the 5-message cap, the 48 h window, no
 * customer message in 48 h, and the session-state codes: 95018 「发送客服消息时当前会话状态不允许发送」 (state 2/3/4,
 * or a session past 48 h) and 95013 「会话已经结束」. The reply is held for a person instead of failed or retried.
 * Source: the global error code page https://developer.work.weixin.qq.com/document/path/90313, as generated
 * into xen0n/go-workwx errcodes/mod.go (crawled 2024-04-08).
 */
export const SEND_HELD: ReadonlyMap<number, string> = new Map([
  [95001, 'WeCom 5-message cap reached'],
  [95002, 'WeCom 48 h window closed'],
  [95024, 'no customer message in the last 48 h'],
  [95018, 'the WeCom session is with people or over (pool, servicer or ended): held for a person'],
  [95013, 'the WeCom session has ended: held for a person'],
]);

/** The SEND_HELD codes that are about the session state: the sender then asks WeCom where the session is. */
export const SESSION_REFUSALS: ReadonlySet<number> = new Set([95018, 95013]);

/**
 * A send_msg refused because the msgid was used before means an earlier attempt went through. The code
 * is UNCONFIRMED (the public error code list names none), so both our fake's 95036 and a message naming the duplicate
 * are accepted.
 */
export function isDuplicateMsgid(code: number, message: string): boolean {
  return code === 95036 || /msgid.*(duplicat|repeat|exist)|重复/i.test(message);
}

export const HINTS: Readonly<Record<number, string>> = {
  40001: 'check WECOM_KF_SECRET: it must be a self-built app listed under 微信客服-可调用接口的应用',
  45009: 'WeCom rate limit hit; blocks last 60 s',
  48002: 'API forbidden for this app',
  60020: 'caller IP is not in 企业可信IP',
  95000: 'unknown open_kfid',
  95017: 'the kf API switch is off in the admin console',
};
