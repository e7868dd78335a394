/**
 * Signed 抖店 open API client (platforms.md §6) for the three reads the dialogue needs: order detail,
 * after-sale detail and after-sale search. Results are small typed summaries; buyer PII is not copied.
 */
import type { DoudianConfig } from '../../../config/load-config.js';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { NetworkError, PlatformError } from '../../core/errors.js';
import { DoudianApiError } from './errors.js';
import { isRecord, parseDoudianJson } from './json.js';
import { canonicalJson, doudianSign, type SignMethod } from './sign.js';
import {
  toAfterSaleDetail,
  toAfterSaleListItem,
  toOrderSummary,
  type AfterSaleDetail,
  type AfterSaleListItem,
  type OrderSummary,
} from './results.js';

export type { AfterSaleDetail, AfterSaleListItem, OrderSummary } from './results.js';

export interface AfterSaleListParams {
  /** Parent order id (shop order). */
  orderId?: string;
  afterSaleId?: string;
  /** Application time range, unix seconds. */
  startTime?: number;
  endTime?: number;
  /** From 0. */
  page?: number;
  /** At most 100. */
  size?: number;
}

export interface DoudianClient {
  /** Validates an order id and reads its status; throws PlatformError when the platform refuses. */
  orderDetail(shopOrderId: string): Promise<OrderSummary>;
  afterSaleDetail(afterSaleId: string): Promise<AfterSaleDetail>;
  afterSaleList(params: AfterSaleListParams): Promise<{ items: AfterSaleListItem[]; total: number; hasMore: boolean }>;
}

type FetchFn = typeof fetch;
const PLATFORM = 'doudian';
const OK = 10000;

export function createDoudianClient(
  config: DoudianConfig,
  opts: { fetch?: FetchFn; clock?: Clock; timeoutMs?: number; signMethod?: SignMethod } = {},
): DoudianClient {
  const doFetch = opts.fetch ?? fetch;
  const clock = opts.clock ?? systemClock;
  const signMethod = opts.signMethod ?? 'hmac-sha256';

  async function call(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const paramJson = canonicalJson(params);
    // The Go SDK sends unix seconds, the Python SDK "yyyy-MM-dd HH:mm:ss"; which one the gateway requires is
    // UNCONFIRMED. We follow the official Go SDK.
    const timestamp = String(Math.floor(clock.now() / 1000));
    const sign = doudianSign({ appKey: config.appKey, appSecret: config.appSecret, method, paramJson, timestamp, signMethod });
    const query = new URLSearchParams({
      app_key: config.appKey,
      method,
      timestamp,
      v: '2',
      sign_method: signMethod,
      sign,
    });
    if (config.accessToken) query.set('access_token', config.accessToken);
    const url = `${config.apiBase}/${method.replace(/\./g, '/')}?${query.toString()}`;

    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        // The current error format (code + sub_code), as every official SDK asks for; see ./errors.ts.
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-open-no-old-err-code': '1' },
        body: paramJson,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
    } catch (err) {
      throw new NetworkError(PLATFORM, err instanceof Error ? err.message : 'fetch failed', err);
    }
    if (res.status >= 500 || res.status === 429) throw new NetworkError(PLATFORM, `HTTP ${res.status}`);
    let body: unknown;
    try {
      // Ids such as shop_order_id and aftersale_id come as JSON numbers above 2^53 (./json.ts).
      body = parseDoudianJson(await res.text());
    } catch {
      throw new PlatformError({ platform: PLATFORM, code: `http_${res.status}`, message: 'response is not JSON' });
    }
    if (!isRecord(body)) throw new PlatformError({ platform: PLATFORM, code: 'bad_response', message: 'not an object' });
    const code = typeof body.code === 'number' ? body.code : Number(body.code);
    // Token endpoints answer {err_no:0}; business endpoints {code:10000}. Both mean success.
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
  }

  return {
    async orderDetail(shopOrderId) {
      return toOrderSummary(await call('order.orderDetail', { shop_order_id: shopOrderId }));
    },
    async afterSaleDetail(afterSaleId) {
      return toAfterSaleDetail(await call('afterSale.Detail', { after_sale_id: afterSaleId, need_operation_record: false }));
    },
    async afterSaleList(params) {
      const data = await call('afterSale.List', {
        order_id: params.orderId,
        aftersale_id: params.afterSaleId,
        start_time: params.startTime,
        end_time: params.endTime,
        page: params.page ?? 0,
        size: Math.min(params.size ?? 20, 100),
      });
      const items = Array.isArray(data.items) ? data.items.filter(isRecord).map(toAfterSaleListItem) : [];
      const total = typeof data.total === 'number' ? data.total : items.length;
      return { items, total, hasMore: data.has_more === true };
    },
  };
}
