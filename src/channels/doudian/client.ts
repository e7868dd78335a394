/**
 * Signed 抖店 open API client (抖店 open platform docs, op.jinritemai.com) for the three reads the dialogue needs: order detail,
 * after-sale detail and after-sale search. Results are small typed summaries; buyer PII is not copied.
 * The shop's access token comes from the token lifecycle (src/tokens, ./token.ts); when the platform calls it
 * expired the call is repeated once with the renewed token.
 */
import type { DoudianConfig } from '../../../config/load-config.js';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { fixedToken, type TokenSource } from '../../tokens/source.js';
import { createDoudianCall, type FetchFn } from './call.js';
import { DoudianApiError } from './errors.js';
import { isRecord } from './json.js';
import type { SignMethod } from './sign.js';
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

/** Without `tokens` the configured DOUDIAN_ACCESS_TOKEN is used as is (tests of other parts). */
export function createDoudianClient(
  config: DoudianConfig,
  opts: { fetch?: FetchFn; clock?: Clock; timeoutMs?: number; signMethod?: SignMethod; tokens?: TokenSource } = {},
): DoudianClient {
  const signed = createDoudianCall(config, { fetch: opts.fetch, clock: opts.clock ?? systemClock, timeoutMs: opts.timeoutMs, signMethod: opts.signMethod });
  const tokens = opts.tokens ?? (config.accessToken ? fixedToken(config.accessToken) : null);

  /** One call with the current token; after "token expired", once more with the renewed one. */
  async function call(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!tokens) return signed(method, params, null);
    const token = await tokens.current();
    try {
      return await signed(method, params, token);
    } catch (err) {
      if (!(err instanceof DoudianApiError) || err.kind !== 'token_expired') throw err;
      const renewed = await tokens.renewAfterRejection(token);
      if (!renewed || renewed === token) throw err;
      return signed(method, params, renewed);
    }
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
