/**
 * 抖店 refusals in the format the gateway uses when asked with `x-open-no-old-err-code: 1` (every official SDK
 * sends it: doudian-sdk Go core/doudian_op_api_client.go, the Java and Python SDKs): a class `code` and a
 * specific `sub_code`. Table: 平台基础错误码汇总, https://op.jinritemai.com/docs/guide-docs/212/1427.
 *   20000/20001 服务不可用/内部服务超时 · 30001 操作权限不足 (dop.authorization-no-existed|closed …) · 30002 IP 白名单
 *   40001 缺少必选参数 (isv.access-token-missing …) · 40003 非法的参数 (isv.access-token-expired|no-existed|invalid,
 *   isv.signature-invalid …) · 40004 业务参数非法 · 50001 token 生成失败 · 50002 业务处理失败 · 60000 限流.
 * The official SDKs refresh the token on exactly `isv.access-token-expired` and `isv.access-token-no-existed`
 * (Python SDK doudian/core/DoudianOpApiLight.py, Java DoudianOpRequest), so those two are `token_expired`.
 */
import { PlatformError } from '../../core/errors.js';

export type DoudianErrorKind =
  /** Refresh the access token and try again. */
  | 'token_expired'
  /** The shop's authorisation is gone or the token belongs to another app: a person must re-authorise. */
  | 'token_invalid'
  /** Our app key, secret, signature, permissions or IP allow-list are wrong: fix the configuration. */
  | 'credentials'
  /** Throttled or the platform is busy: the same call may pass later. */
  | 'retry_later'
  /** The platform refused this request (unknown order, bad parameter …). */
  | 'refused';

const TOKEN_EXPIRED = new Set(['isv.access-token-expired', 'isv.access-token-no-existed']);
const TOKEN_INVALID = new Set(['isv.access-token-invalid', 'isv.access-token-missing', 'dop.authorization-no-existed', 'dop.authorization-closed']);
const CREDENTIALS = new Set([
  'isv.signature-invalid',
  'isv.signature-missing',
  'isv.app-id-missing',
  'isv.app-id-invalid',
  'isv.app-id-expired',
  'isv.app-permissions-insufficient',
  'dop.app-forbidden',
]);

export function classifyDoudianError(code: number, subCode: string): DoudianErrorKind {
  if (TOKEN_EXPIRED.has(subCode)) return 'token_expired';
  if (TOKEN_INVALID.has(subCode) || subCode.startsWith('dop.token-generate-failed')) return 'token_invalid';
  if (CREDENTIALS.has(subCode) || code === 30002) return 'credentials';
  if (code === 20000 || code === 20001 || code === 60000) return 'retry_later';
  return 'refused';
}

const HINTS: Partial<Record<DoudianErrorKind, string>> = {
  token_expired: 'The 抖店 access token expired: it is renewed with DOUDIAN_REFRESH_TOKEN; without one, set a new DOUDIAN_ACCESS_TOKEN.',
  token_invalid: 'The shop authorisation is missing, closed or for another app: re-authorise the app in 抖店 and set DOUDIAN_ACCESS_TOKEN.',
  credentials: 'Check DOUDIAN_APP_KEY / DOUDIAN_APP_SECRET, the API permissions and the IP allow-list of the 抖店 app.',
};

/** A refusal from the 抖店 open API, with the class the caller acts on. */
export class DoudianApiError extends PlatformError {
  readonly subCode: string;
  readonly kind: DoudianErrorKind;

  constructor(opts: { code: number | string; subCode: string; message: string }) {
    const kind = classifyDoudianError(Number(opts.code), opts.subCode);
    super({ platform: 'doudian', code: opts.code, message: opts.message, retryable: kind === 'retry_later', hint: HINTS[kind] });
    this.name = 'DoudianApiError';
    this.subCode = opts.subCode;
    this.kind = kind;
  }
}
