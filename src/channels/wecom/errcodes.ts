/** WeCom errcodes the adapter acts on (platforms.md §2 "Errors"). */

/** Token invalid, expired or missing: refresh once and retry. */
export const TOKEN_ERRORS: ReadonlySet<number> = new Set([40014, 42001, 41001]);
/** System busy: retry at most 3 times (document/path/90455). */
export const BUSY = -1;
/** Worth a later retry by the job, not by the client: rate limit, concurrency limit, busy after 3 tries. */
export const RETRY_LATER: ReadonlySet<number> = new Set([-1, 45009, 45033]);
/** sync_msg callback token invalid or older than 10 min: pull without it. */
export const BAD_SYNC_TOKEN = 95007;

/**
 * send_msg refusals that mean "not now": 5-message cap, 48 h window, no customer message in 48 h, and
 * a session not in state 0/1. The reply is held for a person instead of retried.
 * 95016 for the state refusal is what our fake returns; the real code is UNCONFIRMED (platforms.md §2).
 */
export const SEND_HELD: ReadonlyMap<number, string> = new Map([
  [95001, 'WeCom 5-message cap reached'],
  [95002, 'WeCom 48 h window closed'],
  [95024, 'no customer message in the last 48 h'],
  [95016, 'session is not in a state that allows API replies'],
]);

/**
 * A send_msg refused because the msgid was used before means an earlier attempt went through. The code
 * is UNCONFIRMED (platforms.md §2 lists none), so both our fake's 95036 and a message naming the duplicate
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
