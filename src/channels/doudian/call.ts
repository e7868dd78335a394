/**
 * One signed call to the 抖店 open API (抖店 open platform docs, op.jinritemai.com): the method's path, the public parameters in the query,
 * param_json as the body. Business methods carry the shop's access_token; the token methods (token.create,
 * token.refresh) carry none (official Go SDK zsmhub/doudian-sdk core/access_token_builder.go executes them
 * with a nil token). Refusals become DoudianApiError (./errors.ts), unreachable or busy gateways NetworkError.
 */
import type { DoudianConfig } from '../../../config/load-config.js';
import type { Clock } from '../../core/clock.js';
import { PlatformError } from '../../core/errors.js';
import { DoudianApiError } from './errors.js';
import { isRecord, parseDoudianJson } from './json.js';
import { canonicalJson, doudianSign, type SignMethod } from './sign.js';
import { platformFetch } from '../platform-fetch.js';

export type FetchFn = typeof fetch;
export type DoudianCall = (method: string, params: Record<string, unknown>, accessToken: string | null) => Promise<Record<string, unknown>>;

const PLATFORM = 'doudian';
const OK = 10000;

export function createDoudianCall(
  config: Pick<DoudianConfig, 'appKey' | 'appSecret' | 'apiBase'>,
  opts: { fetch?: FetchFn; clock: Clock; timeoutMs?: number; signMethod?: SignMethod },
): DoudianCall {
  const doFetch = opts.fetch ?? fetch;
  const signMethod = opts.signMethod ?? 'hmac-sha256';

  return async (method, params, accessToken) => {
    const paramJson = canonicalJson(params);
    // The Go SDK sends unix seconds, the Python SDK "yyyy-MM-dd HH:mm:ss"; which one the gateway requires is
    // UNCONFIRMED. We follow the official Go SDK.
    const timestamp = String(Math.floor(opts.clock.now() / 1000));
    const sign = doudianSign({ appKey: config.appKey, appSecret: config.appSecret, method, paramJson, timestamp, signMethod });
    const query = new URLSearchParams({
      app_key: config.appKey,
      method,
      timestamp,
      v: '2',
      sign_method: signMethod,
      sign,
    });
    if (accessToken) query.set('access_token', accessToken);
    const url = `${config.apiBase}/${method.replace(/\./g, '/')}?${query.toString()}`;

    const res = await platformFetch(
      PLATFORM,
      url,
      {
        method: 'POST',
        // The current error format (code + sub_code), as every official SDK asks for; see ./errors.ts.
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-open-no-old-err-code': '1' },
        body: paramJson,
      },
      { timeoutMs: opts.timeoutMs ?? 5000, fetch: doFetch },
    );
    let body: unknown;
    try {
      // Ids such as shop_order_id and aftersale_id come as JSON numbers above 2^53 (./json.ts).
      body = parseDoudianJson(await res.text());
    } catch {
      throw new PlatformError({ platform: PLATFORM, code: `http_${res.status}`, message: 'response is not JSON' });
    }
    if (!isRecord(body)) throw new PlatformError({ platform: PLATFORM, code: 'bad_response', message: 'not an object' });
    const code = typeof body.code === 'number' ? body.code : Number(body.code);
    // Token endpoints of the old gateway answered {err_no:0}; the current one {code:10000} like every method.
    const ok = code === OK || (body.code === undefined && body.err_no === 0);
    if (!ok) {
      const msg = [body.msg, body.sub_msg].filter((m) => typeof m === 'string' && m).join(': ');
      throw new DoudianApiError({
        code: Number.isFinite(code) ? code : String(body.code ?? body.err_no ?? 'unknown'),
        subCode: typeof body.sub_code === 'string' ? body.sub_code : '',
        message: msg || 'request refused',
      });
    }
    return isRecord(body.data) ? body.data : {};
  };
}
