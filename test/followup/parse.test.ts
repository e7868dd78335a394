/** Reading survey, follow-up and consent answers: what counts, and what falls through to the dialogue. */
import { describe, expect, it } from 'vitest';
import { parseFollowupConfig } from '../../src/followup/config.js';
import { loadOperatorData } from '../../src/operator-data.js';
import { isComplaint, parseConsent, parseScore, parseSolved } from '../../src/followup/parse.js';

const shipped = loadOperatorData().followup;
const words = shipped.answers;
const text = (t: string) => ({ kind: 'text', text: t });
const score = (t: string) => parseScore(text(t), words)?.score ?? null;

describe('survey scores', () => {
  it('reads clicked choices', () => {
    for (const n of [1, 2, 3, 4, 5]) expect(parseScore({ kind: 'choice', text: 'x', choiceId: `csat-${n}` }, words)).toEqual({ score: n, pure: true });
    expect(parseScore({ kind: 'choice', text: '解决了', choiceId: 'visit-solved' }, words)).toBeNull();
  });

  it('reads digits, full-width digits and 分/星 forms', () => {
    expect(score('5')).toBe(5);
    expect(score(' 3 ')).toBe(3);
    expect(score('１')).toBe(1);
    expect(score('５分')).toBe(5);
    expect(score('4分！')).toBe(4);
    expect(score('给5分')).toBe(5);
    expect(score('五星好评')).toBe(5);
    expect(score('3星')).toBe(3);
    expect(score('五')).toBe(5);
    expect(score('给你们打5分吧')).toBe(5);
    expect(score('5分 非常满意')).toBe(5); // the label typed back
    expect(score('1. 1分 很不满意')).toBe(1); // a numbered Douyin line copied whole
  });

  it('reads words, negatives before positives', () => {
    expect(score('非常满意')).toBe(5);
    expect(score('挺满意的')).toBe(5);
    expect(score('满意')).toBe(4);
    expect(score('还算满意吧')).toBe(4);
    expect(score('一般')).toBe(3);
    expect(score('还行吧')).toBe(3);
    expect(score('不满意')).toBe(2);
    expect(score('不太满意')).toBe(2);
    expect(score('很差')).toBe(1);
    expect(score('很不满意！')).toBe(1);
    expect(score('差评')).toBe(1);
    expect(score('谢谢，很满意')).toBe(5);
  });

  it('reads emoji, WeChat emoticons and stars', () => {
    expect(score('👍')).toBe(5);
    expect(score('👍🏻👍🏻')).toBe(5);
    expect(score('❤️')).toBe(5);
    expect(score('[强]')).toBe(5);
    expect(score('👎')).toBe(2);
    expect(score('😡')).toBe(1);
    expect(score('[发怒]')).toBe(1);
    expect(score('⭐⭐⭐⭐')).toBe(4);
    expect(score('满意👍')).toBe(4); // words outrank emoji
  });

  it('leaves ambiguous or unrelated messages to the dialogue', () => {
    for (const t of ['6', '0', '12', '1 2', '3 4', '两', '你好', '好的', '订单6912000000000000031', '一般多久到账', '等了3天还没到', '5分钟后再说', '不满意也不算很差', '👍👎', '🙏', '']) {
      expect(score(t), t).toBeNull();
    }
    expect(parseScore({ kind: 'image', text: '[图片]' }, words)).toBeNull();
    expect(score('我想问一下上次那个订单的退款什么时候能到账，已经等了好几天了，很不满意')).toBeNull(); // long: not an answer
  });

  it('marks answers mixed with other words as not pure', () => {
    expect(parseScore(text('5'), words)).toEqual({ score: 5, pure: true });
    expect(parseScore(text('给5分，但是另一件衣服开线了'), words)).toEqual({ score: 5, pure: false });
    expect(parseScore(text('非常满意 谢谢亲'), words)).toEqual({ score: 5, pure: true });
  });
});

describe('follow-up visit answers', () => {
  const solved = (t: string) => parseSolved(text(t), words);
  it('reads clicks, positions and words', () => {
    expect(parseSolved({ kind: 'choice', text: '解决了', choiceId: 'visit-solved' }, words)).toBe('solved');
    expect(parseSolved({ kind: 'choice', text: '还没解决', choiceId: 'visit-unsolved' }, words)).toBe('unsolved');
    expect(solved('解决了')).toBe('solved');
    expect(solved('已经解决了，谢谢')).toBe('solved');
    expect(solved('1')).toBe('solved');
    expect(solved('是的')).toBe('solved');
    expect(solved('满意')).toBe('solved');
    expect(solved('还没解决')).toBe('unsolved');
    expect(solved('没解决了')).toBe('unsolved');
    expect(solved('2')).toBe('unsolved');
    expect(solved('没有')).toBe('unsolved');
    expect(solved('退款还没到账')).toBe('unsolved');
  });
  it('leaves other messages alone', () => {
    for (const t of ['是不是还要寄回去', '你好', '3', '请问运费谁出']) expect(solved(t), t).toBeNull();
  });
});

describe('showcase consent', () => {
  const consent = (t: string) => parseConsent(text(t), words);
  it('reads yes and no', () => {
    expect(parseConsent({ kind: 'choice', text: '可以展示', choiceId: 'showcase-yes' }, words)).toBe('yes');
    expect(consent('可以展示')).toBe('yes');
    expect(consent('可以的')).toBe('yes');
    expect(consent('1')).toBe('yes');
    expect(consent('不用了')).toBe('no');
    expect(consent('不要')).toBe('no');
    expect(consent('2')).toBe('no');
  });
  it('leaves other messages alone', () => {
    for (const t of ['可以退款吗', '你好', '什么时候发货']) expect(consent(t), t).toBeNull();
  });
});

describe('new complaints', () => {
  it('uses the configured words and, when given, the classifier', () => {
    expect(isComplaint('东西又坏了', words)).toBe(true);
    expect(isComplaint('退款还没到账', words)).toBe(true);
    expect(isComplaint('谢谢', words)).toBe(false);
    expect(isComplaint('杯子盖子裂开了', words, { intent: 'quality', confidence: 0.9, risk: false })).toBe(true);
    expect(isComplaint('杯子盖子裂开了', words, { intent: 'quality', confidence: 0.7, risk: false })).toBe(false);
    expect(isComplaint('不想要了', words, { intent: 'no_fault_return', confidence: 0.95, risk: false })).toBe(false);
    expect(isComplaint('谢谢', words, { intent: 'thanks', confidence: 0.95, risk: false })).toBe(false);
    expect(isComplaint('我要去12315', words, { intent: 'other', confidence: 0.5, risk: true })).toBe(true);
  });
});

describe('config/followup.json', () => {
  it('names the field that is wrong', () => {
    const good = shipped;
    expect(() => parseFollowupConfig({ ...good, surveyDelayMinutes: -1 })).toThrow(/surveyDelayMinutes/);
    expect(() => parseFollowupConfig({ ...good, followupDelayDays: 0.001 })).toThrow(/followupDelayDays/);
    expect(() => parseFollowupConfig({ ...good, answers: { ...good.answers, solved: [] } })).toThrow(/answers\.solved/);
  });
});
