/**
 * A local 抖店 open API (platforms.md §6, §7): `/order/orderDetail`, `/afterSale/Detail`, `/afterSale/List`.
 * It recomputes the sign from the query and the param_json body (written independently of src/ so a bug in
 * our signer cannot hide behind the same bug here) and refuses mismatches with code != 10000.
 * Refusal codes other than 10000 are UNCONFIRMED on the real platform; the ones used here are fake.
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_DD_CODES = { badSign: 40004, badAppKey: 40001, badToken: 40002, notFound: 40005, badParam: 40003 };

export interface FakeDoudianOptions {
  appKey: string;
  appSecret: string;
  accessToken?: string;
}

export interface CallRecord {
  method: string;
  code: number;
  paramJson: string;
  signMethod: string;
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
  /** shop_order_detail objects by order id. */
  readonly orders = new Map<string, Record<string, unknown>>();
  /** afterSale.Detail `data` objects by after-sale id. */
  readonly afterSales = new Map<string, Record<string, unknown>>();
  /** afterSale.List items (`{aftersale_info, order_info, text_part}`). */
  readonly afterSaleItems: Record<string, unknown>[] = [];
  baseUrl = '';
  private server: http.Server | null = null;

  private constructor(private readonly opts: FakeDoudianOptions) {}

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
    const reply = (code: number, msg: string, data: unknown = {}): void => {
      this.calls.push({ method, code, paramJson, signMethod });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code, msg, sub_code: code === 10000 ? '' : 'isv.fake', sub_msg: code === 10000 ? '' : msg, log_id: 'fake', data }));
    };

    if (req.method !== 'POST') return reply(FAKE_DD_CODES.badParam, 'POST only');
    if (url.pathname !== `/${method.replace(/\./g, '/')}`) return reply(FAKE_DD_CODES.badParam, 'method does not match path');
    if (q.get('app_key') !== this.opts.appKey) return reply(FAKE_DD_CODES.badAppKey, 'app_key invalid');
    const timestamp = q.get('timestamp') ?? '';
    // Which timestamp format the gateway wants is UNCONFIRMED: both the Go (unix s) and Python forms pass.
    if (!/^\d{10}$/.test(timestamp) && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(timestamp)) {
      return reply(FAKE_DD_CODES.badParam, 'timestamp invalid');
    }
    const v = q.get('v') ?? '';
    if (v !== '2') return reply(FAKE_DD_CODES.badParam, 'v must be 2');
    const expected = referenceSign({ appKey: this.opts.appKey, appSecret: this.opts.appSecret, method, paramJson, timestamp, v, signMethod });
    if (q.get('sign') !== expected) return reply(FAKE_DD_CODES.badSign, 'sign invalid');
    if (this.opts.accessToken && q.get('access_token') !== this.opts.accessToken) return reply(FAKE_DD_CODES.badToken, 'access_token invalid');

    let params: Record<string, unknown>;
    try {
      params = JSON.parse(paramJson) as Record<string, unknown>;
    } catch {
      return reply(FAKE_DD_CODES.badParam, 'param_json is not JSON');
    }
    switch (method) {
      case 'order.orderDetail': {
        const order = this.orders.get(String(params.shop_order_id));
        return order ? reply(10000, 'success', { shop_order_detail: order }) : reply(FAKE_DD_CODES.notFound, '订单不存在');
      }
      case 'afterSale.Detail': {
        const detail = this.afterSales.get(String(params.after_sale_id));
        return detail ? reply(10000, 'success', detail) : reply(FAKE_DD_CODES.notFound, '售后单不存在');
      }
      case 'afterSale.List': {
        const orderId = typeof params.order_id === 'string' ? params.order_id : null;
        const items = this.afterSaleItems.filter((i) => !orderId || (i.order_info as { shop_order_id?: string } | undefined)?.shop_order_id === orderId);
        return reply(10000, 'success', { items, has_more: false, total: items.length, page: params.page ?? 0, size: items.length });
      }
      default:
        return reply(FAKE_DD_CODES.badParam, 'unknown method');
    }
  }
}
