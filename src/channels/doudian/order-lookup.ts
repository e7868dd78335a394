/**
 * The dialogue's OrderLookup (src/core/order-lookup.ts) over 抖店 order.orderDetail
 * (https://op.jinritemai.com/docs/api-docs/15/1343): an answer gives the sign-for time, status and product;
 * a refusal about the order is `not_found`; a refusal about our credentials, throttling or a network failure
 * is logged and the order id is accepted by format (`unchecked`).
 */
import { PlatformError } from '../../core/errors.js';
import type { OrderCheck, OrderLookup } from '../../core/order-lookup.js';
import type { Logger } from '../../log.js';
import type { DoudianClient } from './client.js';

export function doudianOrderLookup(client: DoudianClient, log: Logger): OrderLookup {
  return {
    async check(orderId): Promise<OrderCheck> {
      try {
        const o = await client.orderDetail(orderId);
        return { status: 'ok', signedAt: o.signedAt, statusDesc: o.statusDesc, productName: o.lines[0]?.productName ?? null };
      } catch (err) {
        const ours = err instanceof PlatformError && (err.hint !== undefined || err.retryable || /token|auth|sign|app_key|权限|签名/i.test(err.message));
        if (err instanceof PlatformError && !ours) return { status: 'not_found' };
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'order check with 抖店 failed; accepting the order id by format');
        return { status: 'unchecked' };
      }
    },
  };
}
