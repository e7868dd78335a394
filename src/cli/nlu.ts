/**
 * `cli nlu`: JSON lines {"id","text"} on stdin → one JSON line per input on stdout:
 * {"id","intent","confidence","risk","entities":{"orderIds","phones","trackingNumbers"}} (the README's CLI contract).
 * A malformed line yields {"id":null,"error":"..."} and the stream goes on. Blank lines are skipped.
 * Nothing but those lines goes to stdout; progress and failures go to stderr.
 */
import { once } from 'node:events';
import readline from 'node:readline';
import { createNlu, type Nlu } from '../nlu/index.js';

export interface NluCliOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
  /** Where the model cache lives (DATA_DIR). */
  dataDir: string;
}

const fail = (error: string): string => JSON.stringify({ id: null, error });

/** Confidence with 4 decimals: stable output for diffing, finer than any threshold anyone sets. */
const round = (n: number): number => Math.round(n * 10_000) / 10_000;

/** One input line to its output line. Pure apart from the analyzer. */
export function answerLine(line: string, nlu: Pick<Nlu, 'analyze'>): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    return fail(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('expected a JSON object {"id","text"}');
  }
  const { id, text } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' && typeof id !== 'number') return fail('"id" must be a string or a number');
  if (typeof text !== 'string') return fail('"text" must be a string');
  const a = nlu.analyze(text);
  // Keys in the order of the contract.
  return JSON.stringify({
    id,
    intent: a.intent,
    confidence: round(a.confidence),
    risk: a.risk,
    entities: {
      orderIds: a.entities.orderIds,
      phones: a.entities.phones,
      trackingNumbers: a.entities.trackingNumbers,
    },
  });
}

export async function runNluCli(opts: NluCliOptions): Promise<number> {
  const { input, output, errors } = opts;
  let nlu: Nlu;
  try {
    nlu = await createNlu({ dataDir: opts.dataDir });
  } catch (err) {
    errors.write(`nlu: cannot load the model: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (nlu.info.source === 'trained') {
    errors.write(`nlu: trained from ${nlu.info.examples} examples, cached at ${nlu.info.modelPath}\n`);
  }
  if (nlu.info.cacheError !== undefined) errors.write(`nlu: model not cached: ${nlu.info.cacheError}\n`);

  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim().length === 0) continue;
    if (!output.write(`${answerLine(line, nlu)}\n`)) await once(output, 'drain');
  }
  return 0;
}
