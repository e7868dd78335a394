/**
 * Small measuring tools shared by the scenarios: progress lines on stderr, autocannon as a promise, the bare
 * Koa baseline, and the statistics every figure is reported with (median of the rounds and their spread,
 * because absolute rates on a shared 2-core box drift by up to 1.8× between identical rounds).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import Koa from 'koa';

export const CONNECTIONS = 50;

export function say(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

export async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Responses that were not a 2xx, plus connection errors and timeouts. */
export const failures = (r: autocannon.Result): number => r.non2xx + r.errors + r.timeouts;

/** A Koa hello-world: the same-run baseline B every throughput figure is divided by. */
export async function startBareKoa(): Promise<{ url: string; close(): void }> {
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.body = 'hello';
  });
  const server = http.createServer(bare.callback());
  const url = await listen(server);
  return { url, close: () => server.close() };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** (max − min) / median, as a fraction. */
  relative: number;
}

export function spread(xs: number[]): Spread {
  const m = median(xs);
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return { median: m, min, max, relative: m === 0 ? 0 : (max - min) / m };
}

/** Waits until `due` (a Date.now() value); returns at once when it has passed. */
export function until(due: number): Promise<void> {
  const wait = due - Date.now();
  return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve();
}
