/**
 * The featurizer's exact output for a few shapes of message. The trained model and every score depend on
 * these tokens and their order (the scorer sums in token order), so a speed-up must leave them as they are.
 */
import { describe, expect, it } from 'vitest';
import { FEATURES, createFeaturizerFor } from '../../src/nlu/build.js';
import { readCorpus, findConfigDir } from '../../src/nlu/corpus.js';
import { normalize } from '../../src/nlu/index.js';

const featurize = await createFeaturizerFor(FEATURES, readCorpus(findConfigDir()).shopDict);
const features = (text: string): string[] => featurize(normalize(text));
const NO_CUES = ['c:no-claim', 'c:no-question', 'c:no-staff', 'c:no-aftersale', 'c:no-ordered'];

describe('featurize (production setup)', () => {
  it('copies words and bigrams, not unigrams, as f: features of a message without a turn', () => {
    expect(features('袖口开线了')).toEqual([
      ...['w:袖口', 'w:开线', 'w:了', 'u:袖', 'u:口', 'u:开', 'u:线', 'u:了', 'b:袖口', 'b:口开', 'b:开线', 'b:线了'],
      ...['f:w:袖口', 'f:w:开线', 'f:w:了', 'f:b:袖口', 'f:b:口开', 'f:b:开线', 'f:b:线了'],
      ...NO_CUES,
    ]);
  });

  it('copies Latin words and emoji but not digit shapes, in token order', () => {
    expect(features('ok 123 thanks 👍')).toEqual(['l:ok', 'd:small', 'l:thank', 'e:👍', 'f:l:ok', 'f:l:thank', 'f:e:👍', ...NO_CUES]);
  });

  it('gives a message with a turn no f: features, as the current model was trained', () => {
    const out = features('颜色尺码都对，但是袖口开线了');
    expect(out.filter((t) => t.startsWith('f:'))).toEqual([]);
    expect(out).toContain('w:袖口');
    expect(new Set(out).size).toBe(out.length);
  });
});
