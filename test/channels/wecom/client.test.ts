/** WecomClient against the fake: shared token, single-flight refresh, -1 retries, timeouts, media caps. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WecomClient } from '../../../src/channels/wecom/client.js';
import { NetworkError, PlatformError } from '../../../src/core/errors.js';
import { JPEG, KF, SECRET, VECTOR, startWecomEnv, type WecomTestEnv } from './env.js';

let env: WecomTestEnv;
beforeAll(async () => {
  env = await startWecomEnv();
});
afterAll(async () => {
  await env.stop();
});

const clientFor = (opts: { timeoutMs?: number; apiBase?: string } = {}): WecomClient =>
  new WecomClient({
    corpId: VECTOR.corpId,
    secret: SECRET,
    apiBase: opts.apiBase ?? env.fake.baseUrl,
    redis: env.services.redis,
    keyPrefix: env.services.config.queuePrefix,
    busyDelaysMs: [10, 20, 30],
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });

describe('WecomClient', () => {
  it('50 concurrent calls from three processes after expiry cause exactly one gettoken', async () => {
    const clients = [clientFor(), clientFor(), clientFor()];
    await clients[0]?.getServiceState(KF, 'wmWarm');
    const before = env.fake.gettokenCalls;
    env.fake.server.expireTokenNow();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => clients[i % 3]?.getServiceState(KF, `wmCust${i}`)),
    );
    expect(results.every((r) => r?.errcode === 0)).toBe(true);
    expect(env.fake.gettokenCalls - before).toBe(1);
  });

  it('a revoked token (40014) is refreshed once and the call retried', async () => {
    const client = clientFor();
    await client.getServiceState(KF, 'wmA');
    const before = env.fake.gettokenCalls;
    env.fake.server.revokeTokens();
    await expect(client.getServiceState(KF, 'wmA')).resolves.toMatchObject({ errcode: 0 });
    expect(env.fake.gettokenCalls - before).toBe(1);
  });

  it('retries errcode -1 at most 3 times', async () => {
    const client = clientFor();
    await client.getServiceState(KF, 'wmB');
    const calls = (): number => env.fake.calls('kf/service_state/get');
    let before = calls();
    env.fake.server.failNext(3, -1, 'kf/service_state/get');
    await expect(client.getServiceState(KF, 'wmB')).resolves.toMatchObject({ errcode: 0 });
    expect(calls() - before).toBe(4);

    before = calls();
    env.fake.server.failNext(10, -1, 'kf/service_state/get');
    const err = await client.getServiceState(KF, 'wmB').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).retryable).toBe(true);
    expect(calls() - before).toBe(4);
    env.fake.server.failNext(0);
  });

  it('surfaces other errcodes as PlatformError without retrying', async () => {
    const err = await clientFor().getServiceState('wkUnknown', 'wmC').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).platformCode).toBe(95000);
    expect((err as PlatformError).hint).toContain('open_kfid');
  });

  it('times out a silent server with a NetworkError', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const client = clientFor({ apiBase: base, timeoutMs: 200 });
    // The token is cached in Redis from the fake, so this goes straight to the API call.
    const started = Date.now();
    const err = await client.getServiceState(KF, 'wmD').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(Date.now() - started).toBeLessThan(2000);
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('downloads media, refuses bytes over the cap, and reports expired media ids', async () => {
    const { mediaId } = env.fake.customerMedia(KF, 'wmE', 'image', JPEG);
    const client = clientFor();
    const got = await client.getMedia(mediaId, 1024);
    expect(got.tooLarge).toBe(false);
    if (!got.tooLarge) expect(got.bytes.equals(JPEG)).toBe(true);
    expect((await client.getMedia(mediaId, 10)).tooLarge).toBe(true);
    const err = await client.getMedia('MEDIAnope', 1024).catch((e: unknown) => e);
    expect((err as PlatformError).platformCode).toBe(40007);
  });

  it('uploads media as multipart and the fake serves it back with Range', async () => {
    const client = clientFor();
    const mediaId = await client.uploadMedia('image', JPEG, 'photo.jpg');
    const res = await fetch(`${env.fake.baseUrl}/cgi-bin/media/get?access_token=${await client.tokens.get()}&media_id=${mediaId}`, {
      headers: { range: 'bytes=0-3' },
    });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).equals(JPEG.subarray(0, 4))).toBe(true);
  });
});
