/** createNlu trains once, then loads the cache; an edited corpus retrains by itself. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfigDir } from '../../src/nlu/corpus.js';
import { createNlu } from '../../src/nlu/index.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nlu-cache-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function copyConfig(): string {
  const dir = path.join(tmp, `config-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(findConfigDir(), dir, { recursive: true });
  return dir;
}

describe('model cache', () => {
  it('trains and writes under the data dir, then loads from it with identical answers', async () => {
    const configDir = copyConfig();
    const dataDir = path.join(tmp, 'data');
    const first = await createNlu({ configDir, dataDir });
    expect(first.info).toMatchObject({ source: 'trained', modelPath: path.join(dataDir, 'nlu-model.json') });
    expect(fs.existsSync(first.info.modelPath)).toBe(true);

    const second = await createNlu({ configDir, dataDir });
    expect(second.info.source).toBe('cache');
    expect(second.info.key).toBe(first.info.key);
    for (const text of ['衣服有线头', '快递到哪了', '谢谢']) expect(second.analyze(text)).toEqual(first.analyze(text));
  });

  it('retrains when an operator adds an example', async () => {
    const configDir = copyConfig();
    const modelPath = path.join(tmp, 'edited', 'model.json');
    const before = await createNlu({ configDir, modelPath });
    fs.appendFileSync(path.join(configDir, 'corpus', 'other.txt'), '\n请问今晚的福袋几点开\n');
    const after = await createNlu({ configDir, modelPath });
    expect(after.info.source).toBe('trained');
    expect(after.info.key).not.toBe(before.info.key);
    expect(after.info.examples).toBe(before.info.examples + 1);
  });

  it('retrains over a corrupt cache file and keeps working when the cache cannot be written', async () => {
    const configDir = copyConfig();
    const modelPath = path.join(tmp, 'corrupt.json');
    fs.writeFileSync(modelPath, '{"format":1,"key":');
    expect((await createNlu({ configDir, modelPath })).info.source).toBe('trained');

    const blocker = path.join(tmp, 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const nlu = await createNlu({ configDir, modelPath: path.join(blocker, 'model.json') });
    expect(nlu.info.cacheError).toBeDefined();
    expect(nlu.analyze('转人工').intent).toBe('human');
  });

  it('rejects a corpus file whose name is not a label', async () => {
    const configDir = copyConfig();
    fs.writeFileSync(path.join(configDir, 'corpus', 'refund.txt'), '退款\n');
    await expect(createNlu({ configDir, modelPath: path.join(tmp, 'bad.json') })).rejects.toThrow(/refund.*not a label/);
  });
});
