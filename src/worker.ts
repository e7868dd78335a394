/** Entry for the worker half alone (scale-out): same as `src/main.ts --role=worker`. */
import { run } from './main.js';

run('worker').catch((err: unknown) => {
  process.stderr.write(`failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
