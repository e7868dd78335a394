/**
 * The fresh-machine path: the setup step installs only when node_modules really differs from the lock (a
 * checkout that merely touches package-lock.json is up to date), and `npm run seed:demo` names the address
 * the server will really listen on.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { dependencyState as state } from '../../scripts/dependency-state.mjs';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function project(installed: Record<string, { version: string }>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-deps-'));
  dirs.push(root);
  const write = (file: string, value: unknown): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), JSON.stringify(value));
  };
  write('package.json', { dependencies: { koa: '^3.0.0' }, devDependencies: { tsx: '^4.0.0' } });
  write('node_modules/.package-lock.json', { packages: installed });
  fs.mkdirSync(path.join(root, 'node_modules/tsx'), { recursive: true });
  fs.mkdirSync(path.join(root, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
  // Written last, so it is newer than everything installed — as after a clone or checkout.
  write('package-lock.json', {
    packages: {
      '': { dependencies: { koa: '^3.0.0' }, devDependencies: { tsx: '^4.0.0' } },
      'node_modules/koa': { version: '3.1.0' },
      'node_modules/tsx': { version: '4.2.0', dev: true },
      'node_modules/@esbuild/darwin-arm64': { version: '0.25.0', optional: true },
    },
  });
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(root, 'package-lock.json'), later, later);
  return root;
}

describe('dependency state', () => {
  it('is up to date when the lock is newer on disk but pins what is installed (other platforms’ optionals absent)', () => {
    expect(state(project({ 'node_modules/koa': { version: '3.1.0' }, 'node_modules/tsx': { version: '4.2.0' } }))).toEqual({ ok: true });
  });

  it('asks for an install when a pinned version differs or a package is missing', () => {
    expect(state(project({ 'node_modules/koa': { version: '3.0.9' }, 'node_modules/tsx': { version: '4.2.0' } })).reason).toMatch(/koa is 3\.0\.9/);
    expect(state(project({ 'node_modules/tsx': { version: '4.2.0' } })).reason).toMatch(/koa is not installed/);
  });

  it('asks for an install when package.json gained a dependency', () => {
    const root = project({ 'node_modules/koa': { version: '3.1.0' }, 'node_modules/tsx': { version: '4.2.0' } });
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ dependencies: { koa: '^3.0.0', zod: '^4.0.0' }, devDependencies: { tsx: '^4.0.0' } }));
    expect(state(root).ok).toBe(false);
  });

  it('finds this checkout up to date', () => {
    expect(state(projectRoot)).toEqual({ ok: true });
  });
});

describe('npm run seed:demo', () => {
  it('prints the dashboard address on the configured host and port', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-seed-'));
    dirs.push(dataDir);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/seed-demo.ts', '--cases=50', '--days=14'], {
      cwd: projectRoot,
      env: { ...process.env, PORT: '4321', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    expect(stdout).toContain('http://127.0.0.1:4321/console/dashboard');
  });
});
