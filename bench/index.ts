/**
 * `npm run bench`: the web channel's inbound endpoint (accept + persist + enqueue) against a bare Koa
 * hello-world measured in the same run, as same-run ratios (reliability.md §1.1: absolute req/s on a
 * shared 2-core box drift by up to 1.8× between identical rounds). Median of 3 rounds, then the ack
 * latency at half the measured inbound rate.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Koa from 'koa';
import { loadConfig } from '../config/load-config.js';
import { startApplication } from '../src/app.js';
import { createLogger } from '../src/log.js';
import { startRedisServer } from '../test/helpers/redis-server.js';

const ROUND_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;

function say(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

let counter = 0;
function inboundRequest(): autocannon.Request {
  return {
    method: 'POST',
    path: '/simulator/api/messages',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      counter++;
      const visitorId = `bench-visitor-${counter % 1000}`;
      return {
        ...req,
        headers: { ...req.headers, cookie: `asa_visitor=${visitorId}` },
        body: JSON.stringify({ clientMsgId: `b${counter}`, text: '你好，我买的裙子开线了，订单号6919000011112222333' }),
      };
    },
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-bench-'));
  const redis = await startRedisServer();
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.body = 'hello';
  });
  const bareServer = http.createServer(bare.callback());
  const bareUrl = await listen(bareServer);

  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, REDIS_URL: redis.url, LOG_LEVEL: 'warn', ADMIN_PASSWORD: 'bench-password',
    // The bench's own switch: the simulator on, and a thousand visitors from one address allowed through.
    SIMULATOR: 'on', SIMULATOR_POSTS_PER_VISITOR: '1000000', SIMULATOR_POSTS_PER_ADDRESS: '1000000' });
  // Web role only: the benchmark measures accept + persist + enqueue, not the workers draining behind it.
  const app = await startApplication(config, { role: 'web', log: createLogger({ level: 'warn' }), defaultMetrics: false });
  const appUrl = app.url as string;

  say(`warm-up (${ROUND_SECONDS}s each)…`);
  await run({ url: bareUrl, connections: CONNECTIONS, duration: ROUND_SECONDS });
  await run({ url: appUrl, connections: CONNECTIONS, duration: ROUND_SECONDS, requests: [inboundRequest()] });

  const bareRps: number[] = [];
  const inRps: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const b = await run({ url: bareUrl, connections: CONNECTIONS, duration: ROUND_SECONDS });
    const i = await run({ url: appUrl, connections: CONNECTIONS, duration: ROUND_SECONDS, requests: [inboundRequest()] });
    const bad = i.non2xx + i.errors + i.timeouts;
    bareRps.push(b.requests.average);
    inRps.push(i.requests.average);
    say(`round ${r}/${ROUNDS}: bare Koa ${b.requests.average.toFixed(0)} req/s, web inbound ${i.requests.average.toFixed(0)} req/s (non-2xx/errors ${bad}), ratio ${(i.requests.average / b.requests.average).toFixed(2)}`);
  }
  const ratio = median(inRps) / median(bareRps);
  const rate = Math.max(1, Math.floor(median(inRps) / 2));
  say(`latency at half the inbound maximum: ${rate} req/s for ${ROUND_SECONDS * 2}s…`);
  const paced = await run({ url: appUrl, connections: CONNECTIONS, duration: ROUND_SECONDS * 2, overallRate: rate, requests: [inboundRequest()] });

  const lines = [
    '',
    'web inbound endpoint (accept + persist + enqueue) vs bare Koa, same run',
    `  bare Koa GET            median ${median(bareRps).toFixed(0)} req/s over ${ROUNDS} rounds`,
    `  web inbound POST        median ${median(inRps).toFixed(0)} req/s over ${ROUNDS} rounds`,
    `  throughput ratio        ${ratio.toFixed(2)}× bare Koa   (target ≥ 0.20×) ${ratio >= 0.2 ? 'PASS' : 'FAIL'}`,
    `  ack latency @ ${rate} req/s  p50 ${paced.latency.p50} ms, p99 ${paced.latency.p99} ms, max ${paced.latency.max} ms   (target p99 ≤ 500 ms, max ≤ 2 s: reliability.md P2) ${paced.latency.p99 <= 500 && paced.latency.max <= 2000 ? 'PASS' : 'FAIL'}`,
    `  non-2xx at paced rate   ${paced.non2xx + paced.errors + paced.timeouts}`,
    `  machine                 ${os.cpus().length} cores, Node ${process.version}, ${autocannonVersion()} , ${CONNECTIONS} connections`,
    '',
  ];
  process.stdout.write(lines.join('\n'));

  await app.stop();
  bareServer.close();
  await redis.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

function autocannonVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../node_modules/autocannon/package.json'), 'utf8')) as { version: string };
    return `autocannon ${pkg.version}`;
  } catch {
    return 'autocannon';
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
