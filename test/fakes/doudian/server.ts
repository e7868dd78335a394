/**
 * A local 抖店 open API (platforms.md §6, §7): `/order/orderDetail`, `/afterSale/Detail`, `/afterSale/List`, and
 * `/token/refresh` with the platform's token rules (./tokens.ts).
 * It recomputes the sign from the query and the param_json body (written independently of src/ so a bug in
 * our signer cannot hide behind the same bug here) and refuses mismatches.
 * Like the real gateway it answers:
 * - refusals in the current format (`code` class + `sub_code`), the one official SDKs ask for with
 *   `x-open-no-old-err-code: 1`: table 平台基础错误码汇总 https://op.jinritemai.com/docs/guide-docs/212/1427;
 *   order.orderDetail's own table gives 40004 `isv.parameter-invalid:20001` 订单不存在;
 * - int64 ids (`shop_order_id`, `after_sale_id`, `aftersale_id`, `related_id` …) as bare JSON numbers
 *   (./int64.ts), so a client that parses with `JSON.parse` gets them rounded.
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { int64Json, withInt64Ids } from './int64.js';
import { FakeDoudianTokens, REFRESH_REFUSED } from './tokens.js';

/** [code, sub_code, sub_msg] of the refusals the fake gives. */
export const DD_REFUSALS = {
  badSign: [40003, 'isv.signature-invalid', '签名校验失败'],
  badAppKey: [40001, 'isv.app-id-missing', '认证失败，app_key不存在'],
  tokenMissing: [40001, 'isv.access-token-missing', '认证失败，access_token不能为空'],
  tokenExpired: [40003, 'isv.access-token-expired', 'access_token已过期'],
  tokenUnknown: [40003, 'isv.access-token-no-existed', 'access_token不存在，请使用最新的access_token访问'],
  badTimestamp: [40003, 'isv.timestamp-invalid', '时间戳不合法'],
  badParam: [40003, 'isv.parameter-format-invalid', '业务参数json解析失败'],
  orderNotFound: [40004, 'isv.parameter-invalid:20001', '订单不存在'],
  afterSaleNotFound: [40004, 'isv.parameter-invalid:11003', '数据不存在'],
  noSuchApi: [70000, 'isp.api-service-off', 'API不存在或API已下线'],
} as const satisfies Record<string, readonly [number, string, string]>;

const CLASS_MSG: Record<number, string> = { 40001: '缺少必选参数', 40003: '非法的参数', 40004: '非法的参数', 50001: 'token生成失败', 70000: '接口服务已下线' };

export interface FakeDoudianOptions {
  appKey: string;
  appSecret: string;
  shopId?: string;
  /** The shop's first access token; without one the fake accepts calls without a token. */
  accessToken?: string;
  /** The refresh token issued with it (default `<accessToken>-refresh`). */
  refreshToken?: string;
  /** Token lifetimes are counted on this clock (default: the system's). */
  clock?: { now(): number };
}

export interface CallRecord {
  method: string;
  code: number;
  subCode: string;
  paramJson: string;
  signMethod: string;
  /** Whether the caller asked for the current error format (`x-open-no-old-err-code: 1`). */
  newErrorFormat: boolean;
}

export function referenceSign(opts: {
  appKey: string;
  appSecret: string;
  method: string;
  paramJson: string;
  timestamp: string;
  v: string;
  signMethod: string;
}): string {
  const plain = [
    opts.appSecret,
    'app_key', opts.appKey,
    'method', opts.method,
    'param_json', opts.paramJson,
    'timestamp', opts.timestamp,
    'v', opts.v,
    opts.appSecret,
  ].join('');
  return opts.signMethod === 'md5'
    ? createHash('md5').update(plain).digest('hex')
    : createHmac('sha256', opts.appSecret).update(plain).digest('hex');
}

export class FakeDoudian {
  readonly calls: CallRecord[] = [];
  /** shop_order_detail objects by order id (ids as digit strings; int64 ones are sent as numbers). */
  readonly orders = new Map<string, Record<string, unknown>>();
  /** afterSale.Detail `data` objects by after-sale id. */
  readonly afterSales = new Map<string, Record<string, unknown>>();
  /** afterSale.List items (`{aftersale_info, order_info, text_part}`). */
  readonly afterSaleItems: Record<string, unknown>[] = [];
  /** The shop's tokens, when the fake was started with an access token. */
  readonly tokens: FakeDoudianTokens | null;
  baseUrl = '';
  private server: http.Server | null = null;

  private constructor(private readonly opts: FakeDoudianOptions) {
    this.tokens = opts.accessToken
      ? new FakeDoudianTokens(opts.clock ?? { now: () => Date.now() }, { accessToken: opts.accessToken, refreshToken: opts.refreshToken ?? `${opts.accessToken}-refresh` })
      : null;
  }

  static async start(opts: FakeDoudianOptions): Promise<FakeDoudian> {
    const fake = new FakeDoudian(opts);
    fake.server = http.createServer((req, res) => {
      fake.handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>((resolve) => fake.server?.listen(0, '127.0.0.1', resolve));
    fake.baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const paramJson = Buffer.concat(chunks).toString('utf8');
    const q = url.searchParams;
    const method = q.get('method') ?? '';
    const signMethod = q.get('sign_method') ?? 'md5';
    const newErrorFormat = req.headers['x-open-no-old-err-code'] === '1';
    const send = (code: number, subCode: string, body: Record<string, unknown>): void => {
      this.calls.push({ method, code, subCode, paramJson, signMethod, newErrorFormat });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(int64Json({ ...body, code, sub_code: subCode, log_id: 'fake-log-id' }));
    };
    const ok = (data: unknown): void => send(10000, '', { msg: 'success', sub_msg: '', data: withInt64Ids(data) });
    const refuse = ([code, subCode, subMsg]: readonly [number, string, string]): void =>
      send(code, subCode, { msg: CLASS_MSG[code] ?? '业务处理失败', sub_msg: subMsg, data: {} });

    if (req.method !== 'POST') return refuse(DD_REFUSALS.noSuchApi);
    if (url.pathname !== `/${method.replace(/\./g, '/')}`) return refuse(DD_REFUSALS.noSuchApi);
    if (q.get('app_key') !== this.opts.appKey) return refuse(DD_REFUSALS.badAppKey);
    const timestamp = q.get('timestamp') ?? '';
    // Which timestamp format the gateway wants is UNCONFIRMED: both the Go (unix s) and Python forms pass.
    if (!/^\d{10}$/.test(timestamp) && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(timestamp)) return refuse(DD_REFUSALS.badTimestamp);
    const v = q.get('v') ?? '';
    if (v !== '2') return refuse(DD_REFUSALS.badParam);
    const expected = referenceSign({ appKey: this.opts.appKey, appSecret: this.opts.appSecret, method, paramJson, timestamp, v, signMethod });
    if (q.get('sign') !== expected) return refuse(DD_REFUSALS.badSign);
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(paramJson) as Record<string, unknown>;
    } catch {
      return refuse(DD_REFUSALS.badParam);
    }
    // The token methods are called without an access token.
    if (method === 'token.refresh' && this.tokens) {
      if (params.grant_type !== 'refresh_token' || typeof params.refresh_token !== 'string') return refuse(DD_REFUSALS.badParam);
      const data = this.tokens.refresh(params.refresh_token);
      return data ? ok({ ...data, shop_id: this.opts.shopId ?? '' }) : refuse(REFRESH_REFUSED);
    }
    if (this.tokens) {
      const token = q.get('access_token');
      if (!token) return refuse(DD_REFUSALS.tokenMissing);
      const state = this.tokens.check(token);
      if (state === 'unknown') return refuse(DD_REFUSALS.tokenUnknown);
      if (state === 'expired') return refuse(DD_REFUSALS.tokenExpired);
    }

    switch (method) {
      case 'order.orderDetail': {
        const order = this.orders.get(String(params.shop_order_id));
        return order ? ok({ shop_order_detail: order }) : refuse(DD_REFUSALS.orderNotFound);
      }
      case 'afterSale.Detail': {
        const detail = this.afterSales.get(String(params.after_sale_id));
        return detail ? ok(detail) : refuse(DD_REFUSALS.afterSaleNotFound);
      }
      case 'afterSale.List': {
        const orderId = typeof params.order_id === 'string' ? params.order_id : null;
        const items = this.afterSaleItems.filter((i) => !orderId || (i.order_info as { shop_order_id?: string } | undefined)?.shop_order_id === orderId);
        return ok({ items, has_more: false, total: items.length, page: params.page ?? 0, size: items.length });
      }
      default:
        return refuse(DD_REFUSALS.noSuchApi);
    }
  }
}
