/** The operator's files are validated together at start-up: a mistake is one line naming the file and the field. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/load-config.js';
import { loadOperatorData } from '../../src/operator-data.js';
import { projectRoot } from '../../src/paths.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of the shipped config/ with one file replaced by `text`. */
function configWith(name: string, text: string | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asa-opdata-'));
  dirs.push(dir);
  for (const f of ['handoff.json', 'sentiment.json', 'policies.json', 'dialogue.json', 'followup.json']) {
    fs.copyFileSync(path.join(projectRoot, 'config', f), path.join(dir, f));
  }
  if (text === null) fs.rmSync(path.join(dir, name));
  else fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const shipped = (name: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(projectRoot, 'config', name), 'utf8')) as Record<string, unknown>;

function errorOf(configDir: string): Error {
  try {
    loadOperatorData({ configDir });
  } catch (err) {
    return err as Error;
  }
  throw new Error('loadOperatorData accepted a broken file');
}

describe('operator data', () => {
  it('loads every shipped file', () => {
    const data = loadOperatorData();
    expect(Object.keys(data).sort()).toEqual(['care', 'followup', 'handoff', 'lexicon', 'policies', 'qa', 'sentiment', 'templates']);
    expect(Object.keys(data.sentiment.words).length).toBeGreaterThan(0);
  });

  it('names the file and the field of a wrong value, in one line', () => {
    const bad = { ...shipped('sentiment.json'), words: { 骗子: 9 } };
    const err = errorOf(configWith('sentiment.json', JSON.stringify(bad)));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^config\/sentiment\.json: words\.骗子: /);
    expect(err.message).not.toContain('\n');

    const handoff = { ...shipped('handoff.json'), timezone: 'Mars/Olympus' };
    expect(errorOf(configWith('handoff.json', JSON.stringify(handoff))).message).toMatch(/^config\/handoff\.json: timezone /);
  });

  it('names the file that is missing or not JSON', () => {
    expect(errorOf(configWith('followup.json', null)).message).toMatch(/^config\/followup\.json: cannot be read/);
    expect(errorOf(configWith('policies.json', '{ "schemaVersion": 1,')).message).toMatch(/^config\/policies\.json: not valid JSON/);
  });
});
