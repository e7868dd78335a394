/**
 * Requests still being handled. Shutdown closes the listener, then waits here before it closes Redis and the
 * store: a handler whose client already left (autocannon's end, a platform's own timeout) is still writing its
 * inbox row and queueing its trigger, and closing Redis under it fails that work with "Connection is closed".
 */
import type Koa from 'koa';

export interface InFlight {
  middleware: Koa.Middleware;
  /** Resolves true once no request is in a handler, or false after `timeoutMs` with some still running. */
  settled(timeoutMs: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  let running = 0;
  let waiters: Array<() => void> = [];
  const wake = (): void => {
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };
  return {
    async middleware(_ctx, next) {
      running++;
      try {
        await next();
      } finally {
        running--;
        if (running === 0) wake();
      }
    },
    settled(timeoutMs) {
      if (running === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(running === 0), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
