/**
 * How the dialogue checks an order id the shopper gives: whatever shop system answers (抖店 today, see
 * src/channels/doudian/order-lookup.ts), the dialogue only sees this. Absent = order ids are checked by
 * format only.
 */

/** What the shop system said about an order id, or `unchecked` when it could not be asked. */
export type OrderCheck =
  | { status: 'ok'; signedAt: number | null; statusDesc: string | null; productName: string | null }
  | { status: 'not_found' }
  | { status: 'unchecked' };

export interface OrderLookup {
  /**
   * `not_found` only when the shop system says the order is not this shop's; a failure on our side
   * (credentials, throttling, network) is `unchecked`, never the shopper's mistake. Never throws.
   */
  check(orderId: string): Promise<OrderCheck>;
}
