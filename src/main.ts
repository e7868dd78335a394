/**
 * Process entry: `--role=all` (default: web server and workers in one process), `--role=web` or
 * `--role=worker`. Stops gracefully on SIGTERM/SIGINT within SHUTDOWN_TIMEOUT_MS.
 */
import { ConfigError, loadConfig } from '../config/load-config.js';
import { startApplication, type Role } from './app.js';
import { createLogger } from './log.js';

export async function run(defaultRole: Role): Promise<void> {
  const roleArg = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length) ?? defaultRole;
  if (roleArg !== 'all' && roleArg !== 'web' && roleArg !== 'worker') {
    process.stderr.write(`unknown --role=${roleArg}: use all, web or worker\n`);
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const log = createLogger({ level: config.logLevel });
  const app = await startApplication(config, { role: roleArg, log });

  if (app.adminPasswordGenerated) {
    process.stderr.write(
      `\n  Console account created: admin / ${app.adminPasswordGenerated}\n  (shown only this once; set ADMIN_PASSWORD to choose it yourself)\n\n`,
    );
  }
  const channels = [
    'web',
    config.wecom ? 'wecom' : null,
    config.douyin ? 'douyin' : null,
    config.doudian ? 'doudian' : null,
  ].filter(Boolean);
  log.info({ role: roleArg, store: config.store, channels, url: app.url }, 'started');
  if (app.url) {
    process.stderr.write(
      `\n  售后助手 is running: ${app.url}\n  dashboard: ${app.url}/console/dashboard   agent console: ${app.url}/console${config.simulator.enabled ? `   shopper simulator: ${app.url}/simulator` : ""}\n  channels: ${channels.join(', ')}   store: ${config.store}   role: ${roleArg}\n\n`,
    );
  } else {
    process.stderr.write(`\n  售后助手 worker is running (store: ${config.store}, channels: ${channels.join(', ')})\n\n`);
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const hard = setTimeout(() => {
      log.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5000);
    hard.unref();
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const isEntry = process.argv[1] !== undefined && /[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (isEntry) {
  run('all').catch((err: unknown) => {
    process.stderr.write(`failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
