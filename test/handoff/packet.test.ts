import { describe, expect, it } from 'vitest';
import { reasonLabel } from '../../src/handoff/refs.js';
import { readSentiment } from '../../src/handoff/sentiment.js';
import { loadOperatorData } from '../../src/operator-data.js';

/** The shipped config/sentiment.json, validated the way start-up validates it. */
const data = loadOperatorData();
const words = data.sentiment;
const book = data.templates;

describe('handoff packet readings', () => {
  it('reads the customer mood from their own words, recent ones weighing more', () => {
    expect(readSentiment(words, ['你好，我买的羽绒服开线了', '太气人了，我要转人工！']).label).toBe('negative');
    expect(readSentiment(words, ['垃圾店铺，骗子！！', '我要去12315投诉你们']).label).toBe('angry');
    expect(readSentiment(words, ['好的谢谢，辛苦了']).label).toBe('positive');
    expect(readSentiment(words, ['订单号 6912345678901234567']).label).toBe('neutral');
    expect(readSentiment(words, ['骗子', '好的']).cues[0]).toBe('骗子');
  });

  it('reads each phrase with its negation', () => {
    expect(readSentiment(words, ['不太满意，衣服质量很一般']).label).not.toBe('positive');
    expect(readSentiment(words, ['不太满意，衣服质量很一般']).cues).toContain('不满意');
    expect(readSentiment(words, ['一点都不喜欢']).score).toBeLessThan(0);
    expect(readSentiment(words, ['非常满意，谢谢']).label).toBe('positive');
    // 满意 inside 不满意 is read once, not as +2 and −2.
    expect(readSentiment(words, ['不满意']).score).toBe(readSentiment(words, ['很不满意']).score);
    // A retracted threat or a calm denial carries no anger.
    expect(readSentiment(words, ['我不会投诉的，就是想问问']).label).toBe('neutral');
    expect(readSentiment(words, ['我不生气，你们处理就好']).score).toBeGreaterThanOrEqual(0);
  });

  it('shows escalation reasons to people in Chinese', () => {
    expect(reasonLabel(book, 'customer asked for a person')).toBe('顾客要求转人工');
    expect(reasonLabel(book, 'risky message (regulator:12315)')).toBe('高风险消息（扬言投诉监管：12315）');
    expect(reasonLabel(book, 'risky message (harm:冒烟, exposure:曝光)')).toBe('高风险消息（人身安全：冒烟、扬言曝光：曝光）');
    expect(reasonLabel(book, 'no valid answer for orderId after 3 attempts')).toBe('订单号连续3次未能识别');
    expect(reasonLabel(book, 'safety hazard')).toBe('商品存在安全隐患');
    expect(reasonLabel(book, 'risky message (risk)')).toBe('高风险消息（风险言辞）');
    expect(reasonLabel(book, 'reopened by the customer (low_score, score 2)')).toBe('顾客不满意，重新打开（回访评分低，评分 2）');
    expect(reasonLabel(book, 'reopened by the customer (unsolved)')).toBe('顾客不满意，重新打开（问题未解决）');
    expect(reasonLabel(book, 'something new')).toBe('something new');
  });
});
