import { describe, expect, it } from 'vitest';
import { detectRisk } from '../../src/nlu/index.js';

describe('detectRisk', () => {
  it.each([
    ['再不处理我就去12315', 'regulator'],
    ['我去消协投诉你们', 'regulator'],
    ['已经打了市场监管的电话', 'regulator'],
    ['工商局见', 'regulator'],
    ['我申请平台介入了', 'platform'],
    ['不退我就投诉到抖音', 'platform'],
    ['我要曝光你们', 'exposure'],
    ['不给退我就给差评', 'exposure'],
    ['我要发微博', 'exposure'],
    ['我在业主群里说一下你们家的东西', 'exposure'],
    ['我已经找了律师', 'legal'],
    ['我要起诉你们', 'legal'],
    ['我要告你们', 'legal'],
    ['假货退一赔三', 'legal'],
    ['我要報警', 'legal'],
    ['充电器冒烟了', 'harm'],
    ['插线板着火了', 'harm'],
    ['锅炸了', 'harm'],
    ['用完脸过敏了', 'harm'],
    ['吃了拉肚子住院了', 'harm'],
    ['孩子玩的时候手被划破了', 'child'],
    ['抽屉弹回来夹伤了宝宝的手', 'child'],
    ['I will call the police', 'harm'],
  ])('flags %s (%s)', (text, category) => {
    const r = detectRisk(text);
    expect(r.risk).toBe(true);
    expect(r.reasons.some((x) => x.startsWith(`${category}:`))).toBe(true);
  });

  it.each([
    '能告诉我发货时间吗',
    '广告上的那件外套还有吗',
    '敏感肌会不会过敏',
    '过敏体质能用吗',
    '放心，不会给差评的',
    '已经给你们好评了',
    '孩子很喜欢，谢谢',
    '找你们主管来',
    '我要投诉这个客服',
    '衣服有线头',
    '电话 13812345678',
    '',
  ])('does not flag %s', (text) => {
    expect(detectRisk(text)).toEqual({ risk: false, reasons: [] });
  });
});
