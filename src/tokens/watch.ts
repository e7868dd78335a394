/**
 * Runs every keeper's `check` shortly after start and then hourly in each worker process: refreshes tokens
 * ahead of their expiry and raises the managers' alerts. Several processes may run it; the keepers' Redis lock
 * and the alerts' keys keep that to one refresh and one alert. The first run waits a little so it does not
 * compete with a starting process's backlog (a due token is refreshed on first use anyway).
 */
import type { Logger } from '../log.js';
import type { TokenKeeper } from './keeper.js';

export const WATCH_INTERVAL_MS = 3600_000;
export const WATCH_FIRST_DELAY_MS = 30_000;

export function startTokenWatch(
  keepers: TokenKeeper[],
  log: Logger,
  opts: { intervalMs?: number; firstDelayMs?: number } = {},
): { stop(): void } {
  const run = (): void => {
    for (const keeper of keepers) {
      keeper.check().catch((err: unknown) => {
        log.warn({ component: 'tokens', err: err instanceof Error ? err.message : String(err) }, 'token check failed; next try in an hour');
      });
    }
  };
  let interval: NodeJS.Timeout | null = null;
  const first = setTimeout(() => {
    run();
    interval = setInterval(run, opts.intervalMs ?? WATCH_INTERVAL_MS);
    interval.unref();
  }, opts.firstDelayMs ?? WATCH_FIRST_DELAY_MS);
  first.unref();
  return {
    stop: () => {
      clearTimeout(first);
      if (interval) clearInterval(interval);
    },
  };
}
