/**
 * Command-line entry: `tsx src/cli/index.ts <command>` (npm run -s cli -- <command>).
 * stdout belongs to the command's output; usage and failures go to stderr.
 */
import { loadConfig } from '../../config/load-config.js';
import { runNluCli } from './nlu.js';

const USAGE = 'usage: cli nlu   (JSON lines {"id","text"} on stdin → one analysis per line on stdout)\n';

async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command === 'nlu') {
    const config = loadConfig(process.env);
    return runNluCli({ input: process.stdin, output: process.stdout, errors: process.stderr, dataDir: config.dataDir });
  }
  process.stderr.write(command === undefined ? USAGE : `unknown command "${command}"\n${USAGE}`);
  return 2;
}

// A closed reader (`cli nlu | head`) is a normal end, not a crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
