/**
 * 抖店 response shapes → small typed summaries (field names from the official Go SDK via DD-GO).
 * Times are converted from unix seconds to epoch milliseconds, like every platform time in this codebase.
 * Buyer names, phones and addresses are deliberately not copied.
 */

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const rec = (v: unknown): Rec => (isRecord(v) ? v : {});
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isRecord) : []);

function s(o: Rec, key: string): string | null {
  const v = o[key];
  if (typeof v === 'string' && v) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function n(o: Rec, key: string): number | null {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return null;
}

/**
 * Money back to the buyer, in fen: `real_refund_amount` (实际退款金额), else `refund_total_amount` (退款金额) —
 * the names afterSale.Detail uses (SKIT.FlurlHttpClient.ByteDance src/…DouyinShop/Models/Aftersale/
 * AftersaleDetailResponse.cs) — else `refund_amount`, the field of the 200/206/224/225 pushes in the official
 * Go SDK (zsmhub/doudian-sdk message/退款成功消息.go).
 */
export function refundFen(o: Rec): number | null {
  return n(o, 'real_refund_amount') ?? n(o, 'refund_total_amount') ?? n(o, 'refund_amount');
}

/** Unix seconds → ms; 0 means "not happened yet" on 抖店. */
function time(o: Rec, key: string): number | null {
  const v = n(o, key);
  if (v === null || v <= 0) return null;
  return v < 1e12 ? v * 1000 : v;
}

export interface AfterSaleState {
  status: number | null;
  type: number | null;
  refundStatus: number | null;
}

export interface OrderLine {
  subOrderId: string | null;
  productName: string | null;
  afterSale: AfterSaleState | null;
}

export interface OrderSummary {
  orderId: string;
  status: number | null;
  statusDesc: string | null;
  payAmountFen: number | null;
  createdAt: number | null;
  shippedAt: number | null;
  /** Carrier sign-for time (logistics_receipt_time), the start of most return windows. */
  signedAt: number | null;
  /** Buyer confirmed receipt. */
  confirmedAt: number | null;
  finishedAt: number | null;
  lines: OrderLine[];
  logistics: { trackingNo: string; company: string | null }[];
}

function afterSaleState(v: unknown): AfterSaleState | null {
  if (!isRecord(v)) return null;
  const status = n(v, 'after_sale_status');
  const type = n(v, 'after_sale_type');
  const refundStatus = n(v, 'refund_status');
  if (status === null && type === null && refundStatus === null) return null;
  return { status, type, refundStatus };
}

const maxOf = (values: (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? Math.max(...present) : null;
};

export function toOrderSummary(data: Rec): OrderSummary {
  const d = rec(data.shop_order_detail);
  const skus = list(d.sku_order_list);
  return {
    orderId: s(d, 'order_id') ?? '',
    status: n(d, 'order_status'),
    statusDesc: s(d, 'order_status_desc'),
    payAmountFen: n(d, 'pay_amount'),
    createdAt: time(d, 'create_time'),
    shippedAt: time(d, 'ship_time') ?? maxOf(skus.map((k) => time(k, 'ship_time'))),
    // Sign-for time is documented per sku order; a shop-level field is UNCONFIRMED but read when present.
    signedAt: time(d, 'logistics_receipt_time') ?? maxOf(skus.map((k) => time(k, 'logistics_receipt_time'))),
    confirmedAt: time(d, 'confirm_receipt_time') ?? maxOf(skus.map((k) => time(k, 'confirm_receipt_time'))),
    finishedAt: time(d, 'finish_time'),
    lines: skus.map((k) => ({
      subOrderId: s(k, 'order_id'),
      productName: s(k, 'product_name'),
      afterSale: afterSaleState(k.after_sale_info),
    })),
    logistics: list(d.logistics_info)
      .map((l) => ({ trackingNo: s(l, 'tracking_no') ?? '', company: s(l, 'company_name') ?? s(l, 'company') }))
      .filter((l) => l.trackingNo !== ''),
  };
}

export interface AfterSaleDetail {
  afterSaleId: string;
  orderId: string | null;
  status: number | null;
  statusDesc: string | null;
  type: number | null;
  refundType: number | null;
  refundStatus: number | null;
  refundAmountFen: number | null;
  appliedAt: number | null;
  deadline: number | null;
  reason: string | null;
  /** 退货物流单号 the buyer gave 抖店 (after_sale_info.return_logistics_code, SKIT AftersaleDetailResponse.cs). */
  returnTrackingNo: string | null;
}

export function toAfterSaleDetail(data: Rec): AfterSaleDetail {
  const info = rec(rec(data.process_info).after_sale_info);
  return {
    afterSaleId: s(info, 'after_sale_id') ?? '',
    orderId: s(rec(data.order_info), 'shop_order_id'),
    status: n(info, 'after_sale_status'),
    statusDesc: s(info, 'after_sale_status_desc'),
    type: n(info, 'after_sale_type'),
    refundType: n(info, 'refund_type'),
    refundStatus: n(info, 'refund_status'),
    refundAmountFen: refundFen(info),
    appliedAt: time(info, 'apply_time'),
    deadline: time(info, 'status_deadline'),
    reason: s(info, 'reason'),
    returnTrackingNo: s(info, 'return_logistics_code'),
  };
}

export interface AfterSaleListItem {
  afterSaleId: string;
  orderId: string | null;
  /** standard_aftersale_status: 6 待商家同意, 7 待买家退货, 12 售后成功, 28 售后失败 … */
  status: number | null;
  statusText: string | null;
  type: number | null;
  refundStatus: number | null;
  refundAmountFen: number | null;
  appliedAt: number | null;
  updatedAt: number | null;
  deadline: number | null;
}

export function toAfterSaleListItem(item: Rec): AfterSaleListItem {
  const info = rec(item.aftersale_info);
  return {
    afterSaleId: s(info, 'aftersale_id') ?? '',
    orderId: s(rec(item.order_info), 'shop_order_id'),
    status: n(info, 'aftersale_status'),
    statusText: s(rec(item.text_part), 'aftersale_status_text'),
    type: n(info, 'aftersale_type'),
    refundStatus: n(info, 'refund_status'),
    refundAmountFen: refundFen(info),
    appliedAt: time(info, 'apply_time'),
    updatedAt: time(info, 'update_time'),
    deadline: time(info, 'status_deadline'),
  };
}
