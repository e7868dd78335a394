/** The acceptance behaviours of the issue, and the inputs the dialogue layer will throw at analyze(). */
import { beforeAll, describe, expect, it } from 'vitest';
import { CLARIFY_THRESHOLD, INTENTS, type Nlu } from '../../src/nlu/index.js';
import { testClassifier } from '../helpers/classifier.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await testClassifier();
});

describe('greeting plus a problem gets the problem label', () => {
  it.each([
    ['你好，衣服领口全是线头', 'quality'],
    ['在吗？快递三天没动了', 'logistics'],
    ['hi，我的退款怎么还没到账', 'progress'],
    ['亲，在吗，我拍的黑色发成白色了', 'wrong_item'],
    ['您好，这个不想要了，帮我取消订单', 'no_fault_return'],
  ])('%s → %s', (text, intent) => {
    expect(nlu.analyze(text).intent).toBe(intent);
  });

  it.each(['你好', '在吗？？', '亲，在不在呀', 'hello 在吗', '您好，请问有人吗'])('a bare greeting stays greeting: %s', (text) => {
    expect(nlu.analyze(text).intent).toBe('greeting');
  });
});

describe('转人工 anywhere gets human', () => {
  it.each(['转人工', '衣服开线了，转人工', '退款还没到啊 转人工 谢谢', '轉人工', '你好 转人工', '主播说是纯棉的，骗人，给我转人工！'])(
    '%s',
    (text) => {
      const a = nlu.analyze(text);
      expect(a.intent).toBe('human');
      expect(a.confidence).toBeGreaterThanOrEqual(CLARIFY_THRESHOLD);
    },
  );
});

describe('risk words set the flag whatever the intent', () => {
  it.each([
    ['衣服开线了，再不处理我就去12315', 'quality'],
    ['发货都一周了，再不发我就投诉到抖音', 'logistics'],
    ['主播说是真丝，结果是化纤，我要去市场监管局举报', 'false_ad'],
    ['你好', 'greeting'],
    ['谢谢', 'thanks'],
  ])('%s', (text, intent) => {
    const plain = nlu.analyze(text);
    expect(plain.intent).toBe(intent);
    const risky = nlu.analyze(`${text}，我要报警`);
    expect(risky.risk).toBe(true);
    expect(risky.riskReasons.length).toBeGreaterThan(0);
  });

  it('reports no risk for an ordinary complaint', () => {
    expect(nlu.analyze('衣服有色差').risk).toBe(false);
  });
});

describe('inputs the dialogue layer must survive', () => {
  it('empty and whitespace text is other with confidence 0', () => {
    for (const text of ['', '   ', '\n']) {
      expect(nlu.analyze(text)).toMatchObject({ intent: 'other', confidence: 0, risk: false, normalized: '' });
    }
  });

  it('emoji-only text stays under the clarify threshold unless it is an acknowledgement', () => {
    expect(nlu.analyze('😡😡😡').confidence).toBeLessThan(CLARIFY_THRESHOLD);
    expect(nlu.analyze('👍').intent).toBe('thanks');
  });

  it('very long text is capped and still analysed', () => {
    const text = `衣服有线头，订单 6919000011112222333。${'真的很生气'.repeat(20_000)}`;
    const a = nlu.analyze(text);
    expect(a.normalized.length).toBeLessThanOrEqual(2000);
    expect(a.entities.orderIds).toEqual(['6919000011112222333']);
  });

  it.each([
    ["my order hasn't arrived", 'logistics'],
    ['where is my refund', 'progress'],
    ['the zip is broken, 质量太差', 'quality'],
  ])('mixed English: %s', (text, intent) => {
    expect(nlu.analyze(text).intent).toBe(intent);
  });

  it('never throws on a non-string', () => {
    expect(nlu.analyze(undefined as unknown as string).intent).toBe('other');
  });

  it('returns a posterior over every label', () => {
    const a = nlu.analyze('快递什么时候到');
    expect(Object.keys(a.scores ?? {})).toEqual([...INTENTS]);
    const sum = Object.values(a.scores ?? {}).reduce((s, v) => s + v, 0);
    expect(sum).toBeCloseTo(1, 6);
    expect(a.confidence).toBeGreaterThan(0);
    expect(a.confidence).toBeLessThanOrEqual(1);
  });
});
