/** Time source passed down explicitly, so tests can use a fake clock instead of timed waits. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
