/**
 * A client that leaves in the middle of its request body is logged once, as one JSON line without a stack
 * (Koa's default 'error' listener printed the stack to stderr beside our own line). Runs the real process, since
 * what is asserted is the process's output.
 */
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { testEnv, waitFor } from '../helpers/harness.js';

/** Sends headers and half a body, then leaves: `end` closes politely (FIN), `reset` drops the connection (RST). */
function cutBody(url: URL, how: 'end' | 'reset'): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(url.port), url.hostname, () => {
      const head = `POST /simulator/api/messages HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nCookie: asa_visitor=v-abort\r\nContent-Length: 1000\r\n\r\n`;
      sock.write(`${head}{"text":"半截`, () => {
        if (how === 'end') sock.end();
        else sock.resetAndDestroy();
        resolve();
      });
    });
    sock.on('error', reject);
  });
}

describe('aborted request bodies', () => {
  let app: AppProcess | null = null;
  afterAll(async () => {
    await app?.kill('SIGKILL');
  });

  it('are logged once each, as JSON, with no stack', { timeout: 90_000 }, async () => {
    app = await spawnApp(testEnv({ LOG_LEVEL: 'info', SIMULATOR: 'on' }), 'all');
    const running = app;
    const url = new URL(running.url ?? '');
    await cutBody(url, 'end');
    await cutBody(url, 'reset');
    const lines = (): string[] => running.output().split('\n').filter((l) => l.includes('/simulator/api/messages'));
    await waitFor(() => lines().length >= 2, { timeoutMs: 60_000, what: 'both cut requests logged' });
    // Koa reports the cut connection around the same time; a later request answered means it has been handled.
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect(lines()).toHaveLength(2);
    for (const line of lines()) expect(JSON.parse(line)).toMatchObject({ code: 'body_incomplete', status: 400 });
    expect(running.output()).not.toMatch(/^\s+at \S/m);
    expect(running.output()).not.toMatch(/^\s*Error: /m);
  });
});
