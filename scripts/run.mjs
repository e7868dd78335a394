#!/usr/bin/env node
// Self-setup in front of every npm command: install npm packages when missing, find or install
// redis-server, start a private Redis under DATA_DIR when REDIS_URL is unset, run the target, and stop
// that Redis on exit. Plain Node with no dependencies, because it runs before `npm ci`.
// Everything it says goes to stderr so that `npm run -s cli -- nlu` keeps stdout clean.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dependencyState } from './dependency-state.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stderr.write(`[setup] ${line}\n`);
const fail = (line) => {
  process.stderr.write(`[setup] ${line}\n`);
  process.exit(1);
};

const [target = 'start', ...args] = process.argv.slice(2);

const TARGETS = {
  start: { redis: 'own', cmd: ['src/main.ts', '--role=all'] },
  web: { redis: 'own', cmd: ['src/main.ts', '--role=web'] },
  worker: { redis: 'own', cmd: ['src/main.ts', '--role=worker'] },
  test: { redis: 'binary', vitest: true, chromium: true },
  'test:mongo': { redis: 'binary', vitest: true, mongo: true },
  // The conversation evaluation alone (it also runs inside `npm test`): see test/eval/dialogue.test.ts.
  'eval:dialogue': { redis: 'binary', vitest: true, files: ['test/eval/dialogue.test.ts'] },
  cli: { redis: 'none', cmd: ['src/cli/index.ts'] },
  'nlu:train': { redis: 'none', cmd: ['scripts/nlu-train.ts'] },
  'nlu:eval': { redis: 'none', cmd: ['scripts/nlu-eval.ts'] },
  bench: { redis: 'binary', cmd: ['bench/index.ts'] },
  'bench:dashboard': { redis: 'none', cmd: ['bench/dashboard.ts'] },
  'seed:demo': { redis: 'none', cmd: ['scripts/seed-demo.ts'] },
};

const spec = TARGETS[target];
if (!spec) fail(`unknown target "${target}"; use one of ${Object.keys(TARGETS).join(', ')}`);

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) fail(`Node ${process.versions.node} is too old: install Node 20 or newer (https://nodejs.org).`);

ensureDependencies();
const env = { ...process.env };
loadDotEnv(env);

let redisChild = null;
if (spec.redis !== 'none' && !(spec.redis === 'own' && env.REDIS_URL)) {
  const redisBin = findOrInstallRedis();
  env.REDIS_SERVER_BIN = redisBin;
  if (spec.redis === 'own') {
    const started = await startOwnRedis(redisBin, env);
    env.REDIS_URL = started.url;
    redisChild = started.child;
  }
}

// The console and dashboard browser tests drive a real headless Chromium (Debian's package).
if (spec.chromium && !env.CHROMIUM_PATH) {
  const chromium = findOrInstall({
    bin: 'chromium',
    pkg: 'chromium',
    envVar: 'CHROMIUM_PATH',
    hint: 'The browser tests need Chromium: `sudo apt-get install chromium`, or set CHROMIUM_PATH.',
    optional: true,
  });
  if (chromium) env.CHROMIUM_PATH = chromium;
}

if (spec.mongo) await prepareMongo(env);

const nodeArgs = ['--import', 'tsx'];
const argv = spec.vitest
  ? [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...(spec.mongo ? ['--config', 'vitest.mongo.config.ts'] : []), ...(spec.files ?? []), ...args]
  : [...nodeArgs, ...spec.cmd.map((p, i) => (i === 0 ? path.join(root, p) : p)), ...args];

const child = spawn(process.execPath, argv, { cwd: root, env, stdio: 'inherit' });
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    child.kill(sig === 'SIGHUP' ? 'SIGTERM' : sig);
  });
}
child.on('exit', async (code, signal) => {
  if (redisChild) await stopRedis(redisChild);
  process.exit(code ?? (signal ? 1 : 0));
});

// ---------------------------------------------------------------------------------------------

function ensureDependencies() {
  const state = dependencyState(root);
  if (state.ok) return;
  say(`installing npm packages (${state.reason}; building the SQLite driver can take two minutes)…`);
  // `npm install` (not `npm ci`) follows the lock file but tolerates optional platform packages a mirror lacks.
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) fail('`npm install` failed (see above). Check your network access to the npm registry, then run the command again.');
  say('npm packages installed.');
}

function loadDotEnv(target) {
  // A .env file is read only for variables not already set in the environment.
  const file = path.join(root, '.env');
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const value = m[2].replace(/^(['"])(.*)\1$/, '$2');
    if (target[m[1]] === undefined) target[m[1]] = value;
  }
}

function which(bin) {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/usr/local/bin', '/sbin'];
  for (const dir of dirs) {
    const p = path.join(dir, bin);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

/**
 * Finds `bin` on PATH, or installs Debian package `pkg` with apt-get (as root, or with password-less sudo).
 * Without a way to install, stops with `hint` (required) or returns null (optional tools).
 */
function findOrInstall({ bin, pkg, envVar, hint, optional = false }) {
  const found = process.env[envVar] || which(bin);
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = which('apt-get');
  const sudo = !isRoot && which('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const giveUp = (why) => {
    if (optional) {
      say(`${why} ${hint}`);
      return null;
    }
    fail(`${why} ${hint}`);
  };
  if (!apt || (!isRoot && !sudo)) return giveUp(`${bin} is not installed.`);
  const pre = isRoot ? [] : ['sudo', '-n'];
  const run = (cmd) => {
    const full = [...pre, ...cmd];
    return spawnSync(full[0], full.slice(1), { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  };
  say(`${bin} not found; installing ${pkg} with apt-get (one time)…`);
  if (!run(['apt-get', 'install', '-y', '-q', pkg])) {
    say('refreshing the package lists and trying again…');
    if (!run(['apt-get', 'update', '-q']) || !run(['apt-get', 'install', '-y', '-q', pkg])) {
      return giveUp(`could not install ${pkg} with apt-get.`);
    }
  }
  const path = which(bin);
  if (!path) return giveUp(`${pkg} was installed but ${bin} is not on PATH (set ${envVar} to its path).`);
  say(`${bin} installed at ${path}.`);
  return path;
}

function findOrInstallRedis() {
  return findOrInstall({
    bin: 'redis-server',
    pkg: 'redis-server',
    envVar: 'REDIS_SERVER_BIN',
    hint: 'Run `sudo apt-get install redis-server` (or `brew install redis`), or set REDIS_URL to an existing Redis.',
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function ping(port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

async function startOwnRedis(bin, env) {
  const dataDir = path.resolve(root, env.DATA_DIR || './data');
  const dir = path.join(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const portFile = path.join(dir, 'port');
  // A Redis left by another process of this install (start:web beside start:worker) is shared, not doubled.
  if (fs.existsSync(portFile)) {
    const port = Number(fs.readFileSync(portFile, 'utf8'));
    if (port > 0 && (await ping(port))) {
      say(`using the local Redis already running on 127.0.0.1:${port} (${dir})`);
      return { url: `redis://127.0.0.1:${port}`, child: null };
    }
  }
  const port = await freePort();
  const child = spawn(
    bin,
    [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction',
      '--save', '', '--daemonize', 'no', '--protected-mode', 'yes', '--logfile', path.join(dir, 'redis.log'),
    ],
    { stdio: 'ignore', detached: true },
  );
  child.on('error', (err) => fail(`could not start redis-server (${err.message})`));
  for (let i = 0; i < 100; i++) {
    if (await ping(port)) {
      fs.writeFileSync(portFile, String(port));
      say(`started a local Redis on 127.0.0.1:${port} (AOF everysec, noeviction, data in ${dir})`);
      return { url: `redis://127.0.0.1:${port}`, child };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`redis-server did not answer on port ${port}; see ${path.join(dir, 'redis.log')}`);
}

function stopRedis(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5000);
    child.on('exit', () => {
      clearTimeout(timer);
      say('stopped the local Redis.');
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function prepareMongo(env) {
  if (env.MONGODB_URI) {
    say(`MongoDB suite against MONGODB_URI (${env.MONGODB_URI.replace(/\/\/[^@/]*@/, '//***@')})`);
    return;
  }
  const mongod = which('mongod');
  if (!mongod) {
    say('MONGODB_URI is not set and no `mongod` binary is installed, so no MongoDB is reachable: the MongoDB suite will be skipped.');
    say('To run it: start MongoDB (6.0 or newer) and run `MONGODB_URI=mongodb://127.0.0.1:27017 npm run test:mongo`.');
    return;
  }
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(root, '.test-tmp-mongo-'));
  const child = spawn(mongod, ['--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', dir, '--quiet'], { stdio: 'ignore', detached: true });
  process.on('exit', () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 100 && !(await new Promise((r) => net.connect(port, '127.0.0.1').on('connect', function () { this.destroy(); r(true); }).on('error', () => r(false)))); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  env.MONGODB_URI = `mongodb://127.0.0.1:${port}`;
  say(`started a throwaway mongod on 127.0.0.1:${port}`);
}
