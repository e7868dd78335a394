import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { createInFlight } from '../../handlers/http/in-flight.js';

// Shutdown waits for handlers whose client already left before it closes Redis (the bench's ack phase crashed
// on "Connection is closed" when the store and Redis were closed under such handlers).
describe('in-flight requests at shutdown', () => {
  let server: http.Server | null = null;
  afterEach(() => server?.close());

  it('waits for a handler that is still running after its client left, and reports one that outlives the limit', async () => {
    const inFlight = createInFlight();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((r) => (entered = r));
    let finished = false;
    const app = new Koa();
    app.use(inFlight.middleware);
    app.use(async (ctx) => {
      entered();
      await gate;
      finished = true;
      ctx.body = 'ok';
    });
    server = http.createServer(app.callback()).listen(0, '127.0.0.1');
    await new Promise((r) => server?.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const req = http.get({ port, host: '127.0.0.1', path: '/' });
    req.on('error', () => undefined);
    await inHandler;
    req.destroy();

    expect(await inFlight.settled(20)).toBe(false);
    const settled = inFlight.settled(5_000);
    release();
    expect(await settled).toBe(true);
    expect(finished).toBe(true);
    expect(await inFlight.settled(0)).toBe(true);
  });
});
