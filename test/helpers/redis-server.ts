/**
 * Starts a real redis-server on a free loopback port (AOF everysec, noeviction), for the whole suite
 * (globalSetup) or for a test that needs to kill and restart its own Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** SIGKILL, like a crash: only what AOF wrote survives. */
  kill(): Promise<void>;
  /** Starts again on the same port and directory (replays the AOF). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function redisBinary(): string {
  const candidates = [process.env.REDIS_SERVER_BIN, '/usr/bin/redis-server', '/usr/sbin/redis-server', '/usr/local/bin/redis-server'];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  throw new Error('redis-server not found: run the tests through `npm test`, which installs it, or set REDIS_SERVER_BIN');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(300, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export async function startRedisServer(opts: { dir?: string; port?: number } = {}): Promise<RedisServer> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'asa-redis-'));
  const port = opts.port ?? (await freePort());
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    const proc = spawn(
      redisBinary(),
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec',
        '--maxmemory-policy', 'noeviction', '--save', '', '--daemonize', 'no', '--logfile', path.join(dir, 'redis.log')],
      { stdio: 'ignore' },
    );
    child = proc;
    for (let i = 0; i < 200; i++) {
      if (await ping(port)) return;
      if (proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not start on port ${port} (log: ${path.join(dir, 'redis.log')})`);
  };

  const waitExit = (sig: NodeJS.Signals): Promise<void> =>
    new Promise((resolve) => {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill(sig);
    });

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    kill: () => waitExit('SIGKILL'),
    restart: launch,
    stop: async () => {
      await waitExit('SIGTERM');
      if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
