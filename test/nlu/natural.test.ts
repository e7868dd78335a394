/**
 * natural is used through one deep import: its package index requires dotenv (prints "injected env"
 * lines, reads .env) and database clients. These tests pin that down and check that our scorer ranks
 * exactly as natural's own classifier does.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { afterAll, describe, expect, it } from 'vitest';
import { compileScorer, restoreNatural, trainNatural, type TrainingDoc } from '../../src/nlu/model.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nlu-natural-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('importing the classifier', () => {
  it('prints nothing, reads no .env and never loads natural’s index or dotenv', async () => {
    fs.writeFileSync(path.join(tmp, '.env'), 'NLU_DOTENV_MARKER=leaked\n');
    const report = path.join(tmp, 'report.json');
    const script = `
      import { createRequire } from 'node:module';
      import fs from 'node:fs';
      import path from 'node:path';
      const { createNlu } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'src/nlu/index.ts')).href)});
      const nlu = await createNlu({ modelPath: ${JSON.stringify(path.join(tmp, 'model.json'))} });
      const a = nlu.analyze('衣服有线头');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      fs.writeFileSync(${JSON.stringify(report)}, JSON.stringify({
        marker: process.env.NLU_DOTENV_MARKER ?? null,
        intent: a.intent,
        index: loaded.some((k) => k.endsWith(['natural', 'lib', 'natural', 'index.js'].join(path.sep))),
        dotenv: loaded.some((k) => k.includes(path.sep + 'dotenv' + path.sep)),
      }));
    `;
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], {
      cwd: tmp,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(stdout).toBe('');
    expect(stderr).toBe('');
    expect(JSON.parse(fs.readFileSync(report, 'utf8'))).toEqual({ marker: null, intent: 'quality', index: false, dotenv: false });
  });
});

describe('the compiled scorer', () => {
  const docs: TrainingDoc[] = [
    { intent: 'quality', tokens: ['w:线头', 'w:开线', 'b:线头'] },
    { intent: 'quality', tokens: ['w:坏了', 'w:不亮'] },
    { intent: 'logistics', tokens: ['w:快递', 'w:没到', 'w:物流'] },
    { intent: 'logistics', tokens: ['w:快递', 'w:签收'] },
    { intent: 'thanks', tokens: ['w:谢谢', 'w:好的'] },
  ];
  const natural = trainNatural(docs, 0.1);

  it('trains exactly the model natural’s own training builds', () => {
    const own = new BayesClassifier({ tokenizeAndStem: (text) => text.split(' ') }, 0.1);
    for (const doc of docs) own.addDocument(doc.tokens, doc.intent);
    own.train();
    expect(JSON.parse(JSON.stringify(natural))).toEqual(JSON.parse(JSON.stringify(own)));
  });

  it.each([[['w:线头']], [['w:快递', 'w:没到']], [['w:谢谢']], [['w:快递', 'w:坏了', 'w:谢谢']], [['w:未知']]])(
    'ranks labels as natural does for %j',
    (tokens) => {
      const ours = compileScorer(natural, 1);
      const { posterior } = ours.score(tokens);
      const mine = ours.labels.map((label, i) => ({ label, p: posterior[i] ?? 0 })).sort((a, b) => b.p - a.p);
      const theirs = natural.getClassifications(tokens);
      expect(mine.map((m) => m.label)).toEqual(theirs.map((t) => t.label));
      const total = theirs.reduce((s, t) => s + t.value, 0);
      theirs.forEach((t, i) => expect(mine[i]?.p).toBeCloseTo(t.value / total, 10));
    },
  );

  it('survives a save/restore round trip through JSON', () => {
    const restored = restoreNatural(JSON.parse(JSON.stringify(natural)));
    expect(compileScorer(restored, 1).score(['w:线头']).posterior).toEqual(compileScorer(natural, 1).score(['w:线头']).posterior);
  });
});
