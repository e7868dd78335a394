// Whether node_modules matches package.json and package-lock.json, judged by content, never by file times:
// a fresh clone or a `git checkout` touches package-lock.json without changing what it pins. npm keeps a copy
// of what it installed in node_modules/.package-lock.json ("hidden lockfile",
// https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json#hidden-lockfiles). Plain Node, no
// dependencies: it runs before `npm ci`.
import fs from 'node:fs';
import path from 'node:path';

const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};

const sameDeps = (a = {}, b = {}) => {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
};

/** `{ ok: true }`, or `{ ok: false, reason }` saying what is missing or differs. */
export function dependencyState(root) {
  const pkg = readJson(path.join(root, 'package.json'));
  const lock = readJson(path.join(root, 'package-lock.json'));
  const installed = readJson(path.join(root, 'node_modules/.package-lock.json'));
  if (!installed) return { ok: false, reason: 'node_modules is missing' };
  if (!fs.existsSync(path.join(root, 'node_modules/tsx')) || !fs.existsSync(path.join(root, 'node_modules/better-sqlite3/build/Release'))) {
    return { ok: false, reason: 'node_modules is incomplete (no tsx or no built SQLite driver)' };
  }
  if (!pkg || !lock?.packages) return { ok: false, reason: 'package-lock.json is missing or unreadable' };
  const rootEntry = lock.packages[''] ?? {};
  if (!sameDeps(pkg.dependencies, rootEntry.dependencies) || !sameDeps(pkg.devDependencies, rootEntry.devDependencies)) {
    return { ok: false, reason: 'package.json lists dependencies that package-lock.json does not' };
  }
  const have = installed.packages ?? {};
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key) continue;
    const got = have[key];
    // Optional packages for other platforms (esbuild's, rolldown's…) are in the lock but never installed here.
    if (!got && entry.optional) continue;
    if (!got) return { ok: false, reason: `${key.replace(/^node_modules\//, '')} is not installed` };
    if (got.version !== entry.version) return { ok: false, reason: `${key.replace(/^node_modules\//, '')} is ${got.version}, the lock pins ${entry.version}` };
  }
  return { ok: true };
}
