/**
 * The application as production runs it, in separate Node processes started through src/main.ts (what
 * `npm start`, `npm run start:web` and `npm run start:worker` run): either one process with every role, or one
 * web process beside N worker processes. All processes of a topology share one Redis (with their own queue
 * prefix) and one SQLite file in their own data folder.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { spawnApp, type AppProcess } from '../test/helpers/app-process.js';

export type TopologyKind = 'single' | 'split';

export interface Topology {
  label: string;
  url: string;
  /** Stops every process (SIGTERM, graceful); returns the processes that had died or exited badly. */
  stop(): Promise<string[]>;
}

export interface TopologyOptions {
  kind: TopologyKind;
  workers: number;
  redisUrl: string;
  /** A fresh folder: the SQLite file (and the classifier cache) live there. */
  dataDir: string;
  env: Record<string, string>;
}

export async function startTopology(opts: TopologyOptions): Promise<Topology> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: opts.dataDir,
    REDIS_URL: opts.redisUrl,
    QUEUE_PREFIX: `bench${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: 'bench-password',
    // The bench's own switch: the simulator on beside WeCom, and a thousand visitors from one address let through.
    SIMULATOR: 'on',
    SIMULATOR_POSTS_PER_VISITOR: '1000000',
    SIMULATOR_POSTS_PER_ADDRESS: '1000000',
    ...opts.env,
  };
  const named: { name: string; proc: AppProcess }[] = [];
  if (opts.kind === 'single') {
    named.push({ name: 'start', proc: await spawnApp(env, 'all') });
  } else {
    named.push({ name: 'start:web', proc: await spawnApp(env, 'web') });
    // One at a time: parallel start-ups on a busy 2-core box can outlast spawnApp's 30 s start limit.
    for (let i = 1; i <= opts.workers; i++) named.push({ name: `start:worker #${i}`, proc: await spawnApp(env, 'worker') });
  }
  const url = named[0]?.proc.url;
  if (!url) throw new Error(`the web process did not report its address:\n${named[0]?.proc.output() ?? ''}`);
  return {
    label: topologyLabel(opts.kind, opts.workers),
    url,
    async stop() {
      const died = named.filter(({ proc }) => proc.child.exitCode !== null || proc.child.signalCode !== null).map(({ name }) => `${name} died early`);
      const codes = await Promise.all(named.map(({ proc }) => proc.kill('SIGTERM')));
      codes.forEach((code, i) => {
        if (code !== 0 && code !== null) died.push(`${named[i]?.name} exited with ${code}: ${lastLines(named[i]?.proc.output() ?? '')}`);
      });
      return died;
    },
  };
}

export function topologyLabel(kind: TopologyKind, workers: number): string {
  return kind === 'single' ? 'start (1 process)' : `start:web + ${workers}× start:worker`;
}

function lastLines(out: string): string {
  return out.trim().split('\n').slice(-5).join(' | ');
}

