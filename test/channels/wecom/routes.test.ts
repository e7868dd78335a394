/**
 * /webhooks/wecom through a minimal Koa app (our routes + the shared error middleware): URL verification,
 * callbacks deduped on the kf Token, WeCom's retries, and hostile input answered 4xx and counted — never 500.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { encrypt, getSignature } from '@wecom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../../handlers/http/errors.js';
import { wecomRoutes } from '../../../handlers/http/wecom.js';
import { CallbackSender } from '../../fakes/wecom/index.js';
import { KF, VECTOR, startWecomEnv, type WecomTestEnv } from './env.js';
import { groupMembersChangedXml, kfAuthChangeXml } from './fixtures.js';

let env: WecomTestEnv;
let server: http.Server;
let url = '';
let stallNext = 0;

beforeAll(async () => {
  env = await startWecomEnv();
  const app = new Koa();
  app.use(errorMiddleware(env.services));
  // Lets a test make the first delivery slower than WeCom's patience.
  app.use(async (ctx, next) => {
    if (stallNext > 0) {
      stallNext--;
      await new Promise((r) => setTimeout(r, 400));
    }
    await next();
  });
  const router = new Router();
  wecomRoutes(router, env.services);
  app.use(router.routes());
  server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/wecom`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await env.stop();
});

const sender = (opts: { duplicates?: number; retryAfterMs?: number } = {}) =>
  new CallbackSender({ url, corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key, retryAfterMs: 2000, ...opts });

async function syncJobs(): Promise<number> {
  const c = await env.services.queues.get('wecom-sync').getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

async function rejected(reason: string): Promise<number> {
  const metric = await env.services.metrics.webhookRejected.get();
  return metric.values.filter((v) => v.labels.reason === reason).reduce((a, v) => a + v.value, 0);
}

async function post(query: string, body: string | Buffer): Promise<{ status: number; body: string }> {
  const res = await fetch(`${url}?${query}`, { method: 'POST', body });
  return { status: res.status, body: await res.text() };
}

describe('GET /webhooks/wecom', () => {
  it('answers the URL check with the bare plaintext within 1 s', async () => {
    const out = await sender().verifyUrl();
    expect(out).toMatchObject({ status: 200, body: out.expected });
    expect(out.ms).toBeLessThan(1000);
  });

  it('refuses a bad signature', async () => {
    const echostr = encrypt(VECTOR.key, '123', VECTOR.corpId);
    const res = await fetch(`${url}?msg_signature=${'0'.repeat(40)}&timestamp=1&nonce=2&echostr=${encodeURIComponent(echostr)}`);
    expect(res.status).toBe(401);
  });
});

describe('POST /webhooks/wecom', () => {
  it('acks with an empty 200 and enqueues one sync per Token, however often WeCom sends it', async () => {
    const before = await syncJobs();
    const token = env.fake.callbackToken(KF);
    const dup = sender({ duplicates: 3 });
    const started = Date.now();
    const delivery = await dup.deliver(KF, token);
    expect(delivery.acked).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    // The same Token in a freshly signed envelope (a platform re-send) is a duplicate too.
    expect((await post(...Object.values(dup.seal(dup.kfEventXml(KF, token))) as [string, string])).status).toBe(200);
    expect((await syncJobs()) - before).toBe(1);
  });

  it('re-sends the identical body when no 200 comes in time, still one sync', async () => {
    const before = await syncJobs();
    stallNext = 1;
    const delivery = await sender({ retryAfterMs: 150 }).deliver(KF, env.fake.callbackToken(KF));
    expect(delivery.attempts[0]?.status).toBeNull();
    expect(delivery.acked).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect((await syncJobs()) - before).toBe(1);
  });

  it('acknowledges callbacks that repeat or nest elements (official samples) with 200, so WeCom does not retry', async () => {
    const s = sender();
    const before = await syncJobs();
    const rejectedBefore = await rejected('malformed_xml');
    for (const xml of [
      kfAuthChangeXml(VECTOR.corpId, ['wkNew0001', 'wkNew0002'], ['wkOld0001']),
      groupMembersChangedXml(VECTOR.corpId, 'wrChat001', ['wmMember01', 'wmMember02']),
    ]) {
      const req = s.seal(xml);
      expect(await post(req.query, req.body)).toEqual({ status: 200, body: '' });
    }
    expect(await rejected('malformed_xml')).toBe(rejectedBefore);
    expect(await syncJobs()).toBe(before);
  });
});

describe('hostile callbacks', () => {
  const s = () => sender();
  const inner = (token = 'ENCx') =>
    `<xml><ToUserName>${VECTOR.corpId}</ToUserName><MsgType>event</MsgType><Event>kf_msg_or_event</Event><Token>${token}</Token><OpenKfId>${KF}</OpenKfId></xml>`;
  const signed = (encrypted: string, outer?: string) => ({
    query: s().signQuery(encrypted),
    body: outer ?? `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
  });

  const cases: { name: string; status: number; reason: string; make: () => { query: string; body: string } }[] = [
    {
      name: 'bad signature',
      status: 401,
      reason: 'signature',
      make: () => {
        const r = s().seal(inner());
        return { ...r, query: r.query.replace(/msg_signature=[0-9a-f]{40}/, `msg_signature=${'f'.repeat(40)}`) };
      },
    },
    { name: 'short signature', status: 401, reason: 'signature', make: () => ({ ...s().seal(inner()), query: `msg_signature=abc&timestamp=${Math.floor(Date.now() / 1000)}&nonce=1` }) },
    { name: 'wrong receive id', status: 401, reason: 'receive_id', make: () => s().seal(inner(), { receiveId: 'wwEvilCorp' }) },
    { name: 'replayed after 10 min', status: 401, reason: 'timestamp', make: () => s().seal(inner(), { timestamp: String(Math.floor(Date.now() / 1000) - 600) }) },
    { name: 'malformed outer XML', status: 400, reason: 'malformed_xml', make: () => ({ query: 'timestamp=1', body: '<xml><Encrypt>abc' }) },
    { name: 'malformed inner XML', status: 400, reason: 'malformed_xml', make: () => s().seal('<xml><Token>x</xml>') },
    { name: 'bad base64', status: 400, reason: 'bad_base64', make: () => signed('***not-base64***') },
    { name: 'bad padding', status: 400, reason: 'bad_padding', make: () => signed(Buffer.alloc(64, 7).toString('base64')) },
    {
      name: 'XXE',
      status: 400,
      reason: 'doctype',
      make: () => ({ query: 'timestamp=1', body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>' }),
    },
    {
      name: 'billion laughs inside the envelope',
      status: 400,
      reason: 'doctype',
      make: () => s().seal(`<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Token>&b;</Token></xml>`),
    },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status}, counted`, async () => {
      const before = await rejected(c.reason);
      const jobs = await syncJobs();
      const req = c.make();
      const res = await post(req.query, req.body);
      expect(res.status).toBe(c.status);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: c.reason } });
      expect((await rejected(c.reason)) - before).toBe(1);
      expect(await syncJobs()).toBe(jobs);
    });
  }

  it('bodies over 64 KB → 413, counted, and the server keeps serving', async () => {
    const before = await rejected('body_too_large');
    const enc = encrypt(VECTOR.key, inner(), VECTOR.corpId);
    const ts = String(Math.floor(Date.now() / 1000));
    const query = `msg_signature=${getSignature(VECTOR.token, ts, '1', enc)}&timestamp=${ts}&nonce=1`;
    const res = await post(query, Buffer.concat([Buffer.from(`<xml><Encrypt>${enc}</Encrypt>`), Buffer.alloc(64 * 1024, 32), Buffer.from('</xml>')]));
    expect(res.status).toBe(413);
    expect((await rejected('body_too_large')) - before).toBe(1);
    expect((await sender().verifyUrl()).status).toBe(200);
  });
});
