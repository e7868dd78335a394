/**
 * `npm run bench`: the figures of issue #18, each as a same-run ratio to a bare Koa endpoint (B) or as a
 * latency, median of BENCH_ROUNDS rounds with their spread (reliability.md §1.1: absolute req/s on a shared
 * 2-core box drift by up to 1.8× between identical rounds).
 *   1. webhook ack throughput: the web inbound endpoint, web role in this process (the historical figure);
 *   2. message → reply latency through the WeCom fake at 0.005·B msg/s, one `start` process;
 *   3. a burst of first messages from distinct customers, answered/s ÷ B, one `start` process;
 *   4. 2 and 3 plus the ack rate again on `start:web` beside BENCH_WORKERS `start:worker` processes, and the
 *      ack rate on the single process, for comparison (one Redis, one SQLite file per topology).
 * Progress goes to stderr, the summary table to stdout. All traffic stays on 127.0.0.1.
 * `npm run bench -- media` runs only issue #17's scenario instead (bench/media.ts, under a minute).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { measureApp, unmeasured } from './app-figures.js';
import { measureBaseline } from './baseline.js';
import { describeKnobs, KnobError, readKnobs } from './knobs.js';
import { describeMedia, measureHangingMedia } from './media.js';
import { CONNECTIONS, median, say } from './measure.js';
import { appRows, baselineRows, healthRow, problemNotes } from './report.js';
import { renderTable } from './summary.js';

/** The one scenario that runs on its own, named after `--` (`npm run bench -- media`). */
async function mediaOnly(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-bench-media-'));
  const redis = await startRedisServer();
  try {
    const started = Date.now();
    const { lines, pass } = describeMedia(await measureHangingMedia({ redisUrl: redis.url, root }));
    process.stdout.write(`${lines.join('\n')}\nmachine: ${os.cpus().length} cores, Node ${process.version}; total ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
    if (!pass) process.exitCode = 1;
  } finally {
    await redis.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const scenario = process.argv[2];
  if (scenario === 'media') return mediaOnly();
  if (scenario !== undefined) throw new KnobError(`unknown scenario ${JSON.stringify(scenario)} (the one that runs alone: media)`);
  const knobs = readKnobs(process.env);
  const started = Date.now();
  say(`settings: ${describeKnobs(knobs)}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-bench-'));
  const redis = await startRedisServer();
  try {
    const baseline = await measureBaseline(knobs, { redisUrl: redis.url, root });
    const bare = median(baseline.bareRps);
    say(`B = ${bare.toFixed(0)} req/s; one \`start\` process next…`);
    // A topology that fails is reported as failed figures; the others are still measured.
    const single = await measureApp('single', { knobs, redisUrl: redis.url, root, bare }).catch((err: unknown) => unmeasured('single', knobs, err));
    say(`\`start:web\` + ${knobs.workers}× \`start:worker\` next…`);
    const split = await measureApp('split', { knobs, redisUrl: redis.url, root, bare }).catch((err: unknown) => unmeasured('split', knobs, err));

    const rows = [
      ...baselineRows(baseline),
      ...appRows(single, bare, { latency: '2', burst: '3', ack: '4' }),
      ...appRows(split, bare, { latency: '4', burst: '4', ack: '4' }),
      healthRow([single, split]),
    ];
    const footer = [
      `B is the median bare-Koa req/s of this run; medians of ${knobs.rounds} rounds (${describeKnobs(knobs)}); total ${((Date.now() - started) / 1000).toFixed(0)} s.`,
      `machine: ${os.cpus().length} cores, Node ${process.version}, ${autocannonVersion()}, ${CONNECTIONS} connections; load generator, fake WeCom and app processes share these cores.`,
      ...problemNotes([single, split]),
    ];
    process.stdout.write(renderTable(rows, footer));
  } finally {
    await redis.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
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
  if (err instanceof KnobError) process.stderr.write(`bench: ${err.message}\n`);
  else process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
