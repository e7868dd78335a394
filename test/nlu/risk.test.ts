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
    // Harm and threats described without the listed words.
    ['孩子穿了两天背上起了一片红疹子', 'harm'],
    ['宝宝用完屁屁红了一大片 都破皮了', 'harm'],
    ['吃完半夜肚子疼 跑了好几趟厕所', 'harm'],
    ['暖手宝充着电鼓起来了', 'harm'],
    ['插上去闻到一股烧焦的味道', 'harm'],
    ['电热毯摸着麻麻的 感觉漏电', 'harm'],
    ['小朋友差点把零件吞下去了', 'child'],
    ['聊天截图已经发到小红书了', 'exposure'],
    ['不处理我就把视频发到网上', 'exposure'],
    ['我在朋友圈和宝妈群都说了', 'exposure'],
    ['我已经在黑猫上发帖了', 'regulator'],
    ['准备打电话给市场监督管理局', 'regulator'],
    ['你们等着收律师函吧', 'legal'],
    ['退款再不到账我就去法院告你们', 'legal'],
    ['不给退就申请抖音官方介入', 'platform'],
    ['团购的几个人一起去315晚会反映', 'regulator'],
    ['杯盖拧不紧，一倒就漏水，烫到手了，能退吗', 'harm'],
    ['刀口毛刺太多 划破手指了', 'harm'],
    ['喝的时候嘴被烫起泡了', 'harm'],
  ])('flags %s (%s)', (text, category) => {
    const r = detectRisk(text);
    expect(r.risk).toBe(true);
    expect(r.reasons.some((x) => x.startsWith(`${category}:`))).toBe(true);
  });

  it.each([
    '放心 我不会去投诉的 换一个就行',
    '我不是要告你们 就是想说客服态度',
    '本来想去12315的 后来想想算了',
    '不会打差评也不会去消协 你们处理好就行',
    '工商银行的卡能分期吗',
    '相机的曝光补偿怎么调',
    '镜头曝光过度怎么办',
    '我是做律师的 想买几件衬衫',
    '110码的童装有货吗',
    '体重110穿什么码',
    '这个卖315元贵了点',
    '你们让我找平台 我找了平台又让我找你们',
    '我会告诉朋友来你们家买',
    '用打火机烧了一下是化纤',
    '推车轮子坏了 还好没伤到孩子',
    '杯子漏水 还好没烫到手',
    '边缘有点锋利 差点划到手',
    '全网最低价是真的吗',
  ])('hard negative, no threat and no harm: %s', (text) => {
    expect(detectRisk(text)).toEqual({ risk: false, reasons: [] });
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
