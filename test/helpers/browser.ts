/**
 * Real headless Chromium for browser tests: Debian's package, found by `npm test` (scripts/run.mjs sets
 * CHROMIUM_PATH, installing it with apt-get when it can). Without it the browser tests fail with this message,
 * rather than pretending to pass.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('Chromium not found: install it (`sudo apt-get install chromium`) or set CHROMIUM_PATH; `npm test` installs it when it can.');
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
}
