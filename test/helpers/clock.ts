/**
 * The one fake clock of the suite: a test creates it, hands it to the harness (the app's Services.clock) and to
 * the fake platform servers, and moves it by hand, so windows and expiries are tested without waiting.
 */
import type { Clock } from '../../src/core/clock.js';

export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 10, 1, 8, 0, 0)): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    set(ms) {
      now = ms;
    },
  };
}
