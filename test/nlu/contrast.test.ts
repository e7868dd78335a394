import { describe, expect, it } from 'vitest';
import { focusOf } from '../../src/nlu/contrast.js';
import { normalize } from '../../src/nlu/index.js';

const focus = (text: string): ReturnType<typeof focusOf> => focusOf(normalize(text));

describe('focusOf: the clause after the turn decides', () => {
  it.each([
    ['颜色尺码都对，但是袖口开线了', '袖口开线了'],
    ['主播说是真丝 结果是聚酯纤维', '是聚酯纤维'],
    ['质量挺好的 就是不喜欢这个颜色', '不喜欢这个颜色'],
    ['不是质量问题，不是发错，就是穿着不好看', '穿着不好看'],
    ['快递很快 可是盒子里的杯子是裂的', '盒子里的杯子是裂的'],
  ])('%s → focus %s', (text, expected) => {
    expect(focus(text).focus).toBe(expected);
  });

  it('drops a denied clause that is followed by more text', () => {
    expect(focus('不是物流的问题，东西本身坏了').kept).toBe('东西本身坏了');
    expect(focus('也不是发错了 质量也没毛病 我就是不想要了').kept).toBe('我就是不想要了');
  });

  it('keeps a denial that is the whole message, and text with no turn as it is', () => {
    expect(focus('不是我买的那款').kept).toBe('不是我买的那款');
    expect(focus('衣服有线头')).toEqual({ kept: '衣服有线头', focus: '衣服有线头' });
  });

  it('does not take 不但 or a turn with nothing after it as the turn', () => {
    expect(focus('不但开线还掉色').focus).toBe('不但开线还掉色');
    expect(focus('衣服开线了 但是').focus).toBe('衣服开线了 但是');
  });
});
