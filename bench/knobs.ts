/**
 * The bench's settings, read once from the environment with defaults that keep `npm run bench` under about
 * four minutes on a 2-core machine. A value that is not a positive whole number stops the bench with one line
 * naming the variable, before anything starts.
 */
export interface Knobs {
  /** Measured rounds per figure; the summary reports their median and spread. */
  rounds: number;
  /** Length of each autocannon round (bare Koa and the ack scenarios). */
  ackSeconds: number;
  /** Length of each paced message → reply round. */
  latencySeconds: number;
  /** First messages from distinct customers per burst round. */
  burst: number;
  /** Worker processes beside the web process in the split topology. */
  workers: number;
  /** How long a round waits for its last reply before counting the rest as unanswered. */
  replyTimeoutSeconds: number;
}

export class KnobError extends Error {}

export function readKnobs(env: Record<string, string | undefined>): Knobs {
  const knob = (variable: string, fallback: number, max: number): number => {
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > max) {
      throw new KnobError(`${variable}: must be a whole number from 1 to ${max} (got ${JSON.stringify(raw)})`);
    }
    return value;
  };
  return {
    rounds: knob('BENCH_ROUNDS', 3, 50),
    ackSeconds: knob('BENCH_SECONDS', 5, 600),
    latencySeconds: knob('BENCH_LATENCY_SECONDS', 5, 600),
    burst: knob('BENCH_BURST', 400, 100_000),
    workers: knob('BENCH_WORKERS', 2, 16),
    replyTimeoutSeconds: knob('BENCH_REPLY_TIMEOUT_SECONDS', 60, 3600),
  };
}

export function describeKnobs(k: Knobs): string {
  return `${k.rounds} rounds, ack ${k.ackSeconds}s, latency ${k.latencySeconds}s, burst ${k.burst}, ${k.workers} workers, reply timeout ${k.replyTimeoutSeconds}s`;
}
