/** The `npm run -s cli -- nlu` contract of shared/docs/contracts.md, run as a real process. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { INTENTS } from '../../src/nlu/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nlu-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function runCli(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'nlu'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('cli nlu', () => {
  it('answers each JSON line with one JSON line in the contract shape, errors included', async () => {
    const input = [
      JSON.stringify({ id: 'a1', text: '你好，裙子开线了，订单 6919000011112222333，电话 138 1234 5678' }),
      'this is not json',
      JSON.stringify({ id: 7, text: '转人工' }),
      '',
      JSON.stringify({ id: 'a3' }),
      JSON.stringify(['id', 'text']),
      JSON.stringify({ id: 'a4', text: '再不发货我就去12315，顺丰单号 SF1309876543210' }),
      JSON.stringify({ id: 'a5', text: '' }),
    ].join('\n');
    const { code, stdout, stderr } = await runCli(`${input}\n`);
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(7);
    const out = lines.map((l) => JSON.parse(l) as Record<string, unknown>);

    expect(Object.keys(out[0] ?? {})).toEqual(['id', 'intent', 'confidence', 'risk', 'entities']);
    expect(Object.keys((out[0]?.entities ?? {}) as object)).toEqual(['orderIds', 'phones', 'trackingNumbers']);
    expect(out[0]).toMatchObject({
      id: 'a1',
      intent: 'quality',
      risk: false,
      entities: { orderIds: ['6919000011112222333'], phones: ['13812345678'], trackingNumbers: [] },
    });
    expect(out[1]).toMatchObject({ id: null });
    expect(typeof out[1]?.error).toBe('string');
    expect(out[2]).toMatchObject({ id: 7, intent: 'human' });
    expect(out[3]).toMatchObject({ id: null });
    expect(out[4]).toMatchObject({ id: null });
    expect(out[5]).toMatchObject({ id: 'a4', risk: true, entities: { trackingNumbers: ['SF1309876543210'] } });
    expect(out[6]).toMatchObject({ id: 'a5', intent: 'other', confidence: 0 });
    for (const o of out.filter((x) => x.error === undefined)) {
      expect(INTENTS).toContain(o.intent);
      expect(o.confidence).toBeGreaterThanOrEqual(0);
      expect(o.confidence).toBeLessThanOrEqual(1);
    }
    // The first run trains and says so on stderr, never on stdout.
    expect(stderr).not.toContain('{');
  });

  it('writes nothing for empty input and exits 0', async () => {
    const { code, stdout } = await runCli('');
    expect(code).toBe(0);
    expect(stdout).toBe('');
  });
});
