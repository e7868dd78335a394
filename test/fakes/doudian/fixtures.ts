/**
 * 抖店 payloads in the platform's real shapes, written for these tests from public samples (values are ours;
 * field names, types and nesting follow the cited source). Bodies are JSON text so int64 ids stay bare numbers.
 */

/** A 19-digit order id above 2^53 (the p_id of SKIT's RefundCreatedEvent.json sample). */
export const ORDER_ID = '4705288465508532862';
export const SUB_ORDER_ID = '4705288465508532863';
/** A 19-digit after-sale id: `JSON.parse` would read it as 7302918391229184000. */
export const AFTER_SALE_ID = '7302918391229183987';

/**
 * 206 退款成功 as the push body carries it: an array of `{tag, msg_id, data}` with `data` a JSON string.
 * Source: zsmhub/doudian-sdk message/doudian_message.go (`[]Message{Tag string, MsgID string, Data string}`) and
 * message/退款成功消息.go (RefundSuccess: aftersale_id/p_id/s_id/shop_id int64, refund_amount, success_time …),
 * doc https://op.jinritemai.com/docs/message-docs/31/121.
 */
export const refundSucceededPush = (msgId: string, shopId: string): string =>
  `[{"tag":"206","msg_id":"${msgId}","data":"{\\"aftersale_id\\":${AFTER_SALE_ID},\\"aftersale_status\\":12,\\"aftersale_type\\":1,\\"p_id\\":${ORDER_ID},\\"reason_code\\":7,\\"refund_amount\\":15900,\\"refund_post_amount\\":0,\\"refund_voucher_num\\":0,\\"s_id\\":${SUB_ORDER_ID},\\"shop_id\\":${shopId},\\"success_time\\":1718000000}"}]`;

/**
 * 200 买家发起售后 in the SKIT sample's form: one object, numeric `tag`, `msgId`, `data` an object with int64 ids.
 * Source: fudiwei/DotNetCore.SKIT.FlurlHttpClient.ByteDance
 * test/SKIT.FlurlHttpClient.ByteDance.DouyinShop.UnitTests/EventSamples/Refund/RefundCreatedEvent.json.
 */
export const afterSaleAppliedSkit = (msgId: string, orderId: string, shopId: string): string =>
  `{"tag":200,"msgId":"${msgId}","data":{"p_id":${orderId},"s_id":${orderId},"shop_id":${shopId},"aftersale_id":${AFTER_SALE_ID},"aftersale_status":6,"aftersale_type":2,"refund_amount":4990,"refund_post_amount":0,"reason_code":78,"apply_time":1718000000,"refund_voucher_num":0}}`;

/**
 * 225 特殊权益售后退款成功. Source: zsmhub/doudian-sdk message/特殊权益售后退款成功消息.go (RefundSpecialRefundSuccess),
 * doc https://op.jinritemai.com/docs/message-docs/31/1371.
 */
export const specialRefundSucceededData = (orderId: string, shopId: string): string =>
  `{"aftersale_id":${AFTER_SALE_ID},"aftersale_status":12,"aftersale_type":1,"p_id":${orderId},"refund_amount":2300,"s_id":${orderId},"shop_id":${shopId},"success_time":1718000100}`;

/**
 * 102 卖家发货: the tracking number is nested in `logistics_msg`, next to receiver details.
 * Source: zsmhub/doudian-sdk message/卖家发货消息.go (TradeSellerShip), doc message-docs/30/111.
 */
export const shippedData = (orderId: string, trackingNo: string, shopId: string): string =>
  `{"biz":2,"logistics_msg":{"express_company_id":"7","logistics_code":"${trackingNo}"},"order_status":3,"order_type":0,"p_id":${orderId},"receiver_msg":{"addr":"浙江省杭州市西湖区文三路 1 号","name":"王小明","tel":"13800138000"},"s_ids":[${orderId}],"shop_id":${shopId},"update_time":1718000200}`;

/**
 * 108 卖家部分发货: `logistics_msg` adds pack_id and shipped_order_info.
 * Source: zsmhub/doudian-sdk message/卖家部分发货消息.go (TradePartlySellerShip), doc message-docs/30/208.
 */
export const partlyShippedData = (orderId: string, trackingNo: string, shopId: string): string =>
  `{"biz":2,"logistics_msg":{"express_company_id":"12","logistics_code":"${trackingNo}","pack_id":"p-1","shipped_order_info":[{"product_id":3600000000000000001,"shipped_num":1,"shipped_order_id":${orderId},"sku_id":1740000000000000001,"sku_num":2}]},"order_status":3,"order_type":0,"p_id":${orderId},"s_ids":[${orderId}],"shop_id":${shopId},"update_time":1718000300}`;

/**
 * 109 订单金额修改 with a numeric tag. Source: SKIT EventSamples/Trade/TradeAmountChangedEvent.json; fields as in
 * zsmhub/doudian-sdk message/订单金额修改消息.go.
 */
export const amountChangedData = (orderId: string, shopId: string): string =>
  `{"p_id":${orderId},"s_ids":[${orderId}],"shop_id":${shopId},"order_status":1,"order_type":0,"biz":2,"modify_time":1718000400,"total_amount":53800,"post_amount":0}`;

/** 113 卖家添加备注: a free-text remark (may name the buyer). Source: zsmhub/doudian-sdk message/卖家添加备注消息.go. */
export const remarkData = (orderId: string, shopId: string): string =>
  `{"p_id":${orderId},"remark":"王小明 13800138000 周末送","shop_id":${shopId},"star":2,"update_time":1718000500}`;

/**
 * afterSale.Detail's after_sale_info names the amounts `refund_total_amount` and `real_refund_amount`.
 * Source: SKIT src/SKIT.FlurlHttpClient.ByteDance.DouyinShop/Models/Aftersale/AftersaleDetailResponse.cs.
 */
export const afterSaleDetail = (afterSaleId: string, orderId: string): Record<string, unknown> => ({
  process_info: {
    after_sale_info: {
      after_sale_id: afterSaleId,
      after_sale_status: 12,
      after_sale_status_desc: '售后成功',
      after_sale_type: 1,
      refund_type: 1,
      refund_status: 3,
      refund_total_amount: 12900,
      real_refund_amount: 12500,
      refund_post_amount: 0,
      apply_time: 1717400000,
      status_deadline: 0,
      reason: '质量问题',
    },
  },
  order_info: { shop_order_id: orderId },
});

/** A shipped order (顺丰 SF1400000000019) for pushes whose carrier name is read with order.orderDetail. */
export const SHIPPED_ORDER_ID = '4705288465508533019';

/**
 * order.orderDetail `shop_order_detail` objects of the two orders above (ORDER_ID signed for two days ago,
 * SHIPPED_ORDER_ID on its way), in the fields the client reads (src/channels/doudian/results.ts).
 */
export function shopOrders(nowS: number): Map<string, Record<string, unknown>> {
  return new Map([
    [ORDER_ID, {
      order_id: ORDER_ID,
      order_status: 5,
      order_status_desc: '已完成',
      create_time: nowS - 5 * 86400,
      sku_order_list: [{ order_id: SUB_ORDER_ID, product_name: '不锈钢保温杯', logistics_receipt_time: nowS - 2 * 86400 }],
    }],
    [SHIPPED_ORDER_ID, {
      order_id: SHIPPED_ORDER_ID,
      order_status: 3,
      order_status_desc: '已发货',
      create_time: nowS - 86400,
      sku_order_list: [{ order_id: '4705288465508533020', product_name: '羊毛围巾' }],
      logistics_info: [{ tracking_no: 'SF1400000000019', company: 'shunfeng', company_name: '顺丰速运' }],
    }],
  ]);
}

/**
 * 203 买家退货给卖家 as the Go SDK types it (zsmhub/doudian-sdk message/买家退货给卖家消息.go, docs
 * op.jinritemai.com/docs/message-docs/31/118): ids and amounts only, no tracking number.
 */
export const buyerReturnedData = (orderId: string, afterSaleId: string, shopId: string): string =>
  `{"aftersale_id":${afterSaleId},"aftersale_status":11,"aftersale_type":0,"p_id":${orderId},"reason_code":7,"refund_amount":15900,"refund_post_amount":0,"refund_voucher_num":0,"refuse_time":0,"s_id":${orderId},"shop_id":${shopId},"update_time":"2024-06-10T10:00:00+08:00"}`;

/** afterSale.Detail of a return the buyer sent back: after_sale_info.return_logistics_code (SKIT, as above). */
export const returnedDetail = (afterSaleId: string, orderId: string, trackingNo: string): Record<string, unknown> => {
  const base = afterSaleDetail(afterSaleId, orderId);
  const info = (base.process_info as { after_sale_info: Record<string, unknown> }).after_sale_info;
  return { ...base, process_info: { after_sale_info: { ...info, after_sale_type: 0, after_sale_status: 11, return_logistics_code: trackingNo } } };
};

/**
 * The shop's decisions in 抖店 as the Go SDKs type them: ids, amounts and the time of the decision, no wording of
 * it. Sources: zsmhub/doudian-sdk message/同意退款消息.go (201, agree_time, docs message-docs/31/116),
 * 同意退货申请消息.go (202, 31/117), 拒绝退款消息.go (204, refuse_time, 31/119), 拒绝退货申请消息.go (205, 31/120),
 * 售后关闭消息.go (207, close_time, 31/122); bububa/jinritemai-go message/refund/*.go add `latest_record`
 * (最近一条操作记录) to 201/204/205/207. `aftersale_type` 0 退货, 1 售后仅退款, 2 发货前整单退款. `aftersale_status` is
 * left out: which status each decision leaves is not in those sources (and nothing here reads it).
 */
export function shopDecisionData(
  tag: '201' | '202' | '204' | '205' | '207',
  o: { orderId: string; afterSaleId: string; shopId: string; afterSaleType: 0 | 1 | 2; latestRecord?: string },
): string {
  const at = { '201': 'agree_time', '202': 'refuse_time', '204': 'refuse_time', '205': 'refuse_time', '207': 'close_time' }[tag];
  const time = tag === '202' ? 0 : 1718000600; // 202 carries refuse_time too, 0 (as 203 does)
  const record = o.latestRecord === undefined ? '' : `,"latest_record":${JSON.stringify(o.latestRecord)}`;
  return `{"aftersale_id":${o.afterSaleId},"aftersale_type":${o.afterSaleType},"${at}":${time},"p_id":${o.orderId},"reason_code":7,"refund_amount":15900,"refund_post_amount":0,"refund_voucher_num":0,"s_id":${o.orderId},"shop_id":${o.shopId},"update_time":"2024-06-10T10:00:00+08:00"${record}}`;
}
