/**
 * Customer-facing texts for 抖店 events. TODO: move to templates/ once the templates module lands (being
 * written separately); kept here so the channel works meanwhile. Pure functions, zh-CN.
 */

export function formatYuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** Told to the customer when 抖店 reports 退款成功 (tag 206) for an order with a case. */
export function refundSucceededText(refundAmountFen: number | null): string {
  const amount = refundAmountFen !== null && refundAmountFen > 0 ? `，退款金额 ${formatYuan(refundAmountFen)} 元` : '';
  return `您好，您的订单退款已处理成功${amount}，款项将按原支付方式退回，具体到账时间以支付渠道为准。如还有其他问题，随时告诉我们。`;
}
