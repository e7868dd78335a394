/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that crosses its
 * threshold, on the caller's thread — here the event loop, blocked 20–60 ms on a busy disk every 100–150 inbox
 * rows (measured with `npm run bench`: that is what set the webhook ack p99). A worker thread with its own
 * connection runs a PASSIVE checkpoint every `intervalMs` instead; PASSIVE never blocks writers or readers, and
 * durability is unchanged (synchronous=NORMAL syncs at checkpoints, wherever they run). The main connection
 * keeps a large automatic threshold as a safety net in case the worker ever stops.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** Plain CommonJS so it runs the same under tsx (tests) and from the compiled build. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export class Checkpointer {
  private constructor(private readonly worker: Worker) {}

  static start(file: string, opts: { intervalMs?: number; onError?: (message: string) => void } = {}): Checkpointer {
    const worker = new Worker(WORKER, { eval: true, workerData: { file, intervalMs: opts.intervalMs ?? 100, driver: require.resolve('better-sqlite3') } });
    worker.on('message', (m: { error?: string }) => {
      if (m.error) opts.onError?.(m.error);
    });
    worker.on('error', (err) => opts.onError?.(err.message));
    // Never keeps the process alive on its own.
    worker.unref();
    return new Checkpointer(worker);
  }

  /** Runs a last checkpoint and closes the worker's connection. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
    await Promise.race([exited, timeout]);
    await this.worker.terminate();
  }
}
