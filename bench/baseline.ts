/**
 * The baseline phase, as `npm run bench` has always measured it: a bare Koa hello-world and the web role's
 * inbound endpoint, both in this process, in alternating rounds of the same autocannon settings; then the ack
 * latency at half the measured inbound rate (reliability.md P2). Its bare-Koa median is the run's B.
 */
import fs from 'node:fs';
import path from 'node:path';
import type autocannon from 'autocannon';
import { loadConfig } from '../config/load-config.js';
import { startApplication } from '../src/app.js';
import { createLogger } from '../src/log.js';
import type { Knobs } from './knobs.js';
import { failures, median, say, startBareKoa } from './measure.js';
import { getBare, postInbound } from './web-inbound.js';

export interface Baseline {
  bareRps: number[];
  inboundRps: number[];
  pacedRate: number;
  paced: autocannon.Result;
}

export async function measureBaseline(knobs: Knobs, ctx: { redisUrl: string; root: string }): Promise<Baseline> {
  const bare = await startBareKoa();
  const dataDir = path.join(ctx.root, 'web-role');
  fs.mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, REDIS_URL: ctx.redisUrl, LOG_LEVEL: 'warn', ADMIN_PASSWORD: 'bench-password',
    // The bench's own switch: the simulator on, and a thousand visitors from one address allowed through.
    SIMULATOR: 'on', SIMULATOR_POSTS_PER_VISITOR: '1000000', SIMULATOR_POSTS_PER_ADDRESS: '1000000' });
  // Web role only: this phase measures accept + persist + enqueue, not the workers draining behind it.
  const app = await startApplication(config, { role: 'web', log: createLogger({ level: 'warn' }), defaultMetrics: false });
  const appUrl = app.url as string;
  try {
    say(`baseline warm-up (${knobs.ackSeconds}s each)…`);
    await getBare(bare.url, knobs.ackSeconds);
    await postInbound(appUrl, knobs.ackSeconds);

    const bareRps: number[] = [];
    const inboundRps: number[] = [];
    for (let r = 1; r <= knobs.rounds; r++) {
      const b = await getBare(bare.url, knobs.ackSeconds);
      const i = await postInbound(appUrl, knobs.ackSeconds);
      bareRps.push(b.requests.average);
      inboundRps.push(i.requests.average);
      say(`baseline round ${r}/${knobs.rounds}: bare Koa ${b.requests.average.toFixed(0)} req/s, web inbound ${i.requests.average.toFixed(0)} req/s (non-2xx/errors ${failures(i)}), ratio ${(i.requests.average / b.requests.average).toFixed(2)}`);
    }
    const pacedRate = Math.max(1, Math.floor(median(inboundRps) / 2));
    say(`ack latency at half the inbound maximum: ${pacedRate} req/s for ${knobs.ackSeconds * 2}s…`);
    const paced = await postInbound(appUrl, knobs.ackSeconds * 2, pacedRate);
    return { bareRps, inboundRps, pacedRate, paced };
  } finally {
    await app.stop();
    bare.close();
  }
}
