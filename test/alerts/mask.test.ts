/** Alert masking: what core/mask.ts covers plus street addresses without a province, labels, landlines. */
import { describe, expect, it } from 'vitest';
import { maskAlertData, maskAlertText } from '../../src/alerts/mask.js';

describe('maskAlertText', () => {
  it.each([
    ['我要去12315投诉你们，电话13812345678', '我要去12315投诉你们，电话138****5678'],
    ['电话 +86 138-1234-5678', '电话 138****5678'],
    ['１３８１２３４５６７８', '138****5678'],
    ['地址：朝阳区建国路88号3栋201室，快点', '地址：朝****，快点'],
    ['寄到浙江省杭州市西湖区文三路100号', '寄到浙江省****'],
    ['收件人：张三 电话010-12345678', '收件人：张**** 电话010****5678'],
    ['住在阳光花园5栋2单元301', '住在****'],
    ['身份证110101199003071234', '身份证110101********1234'],
  ])('%s', (input, expected) => {
    expect(maskAlertText(input)).toBe(expected);
  });

  it('leaves order ids, 12315 and ordinary sentences readable', () => {
    for (const text of ['订单号 3718291827364518273 还没到', '我不知道3号能不能到', '打12315', '发错颜色了，要换货']) {
      expect(maskAlertText(text)).toBe(text);
    }
  });

  it('is idempotent', () => {
    const once = maskAlertText('电话13812345678，地址：朝阳区建国路88号');
    expect(maskAlertText(once)).toBe(once);
  });

  it('keeps record ids in data intact', () => {
    const id = '0b1c2d3e-4f50-4617-8a9b-012345678901';
    expect(maskAlertData({ caseId: id })).toEqual({ caseId: id });
  });

  it('masks strings anywhere inside data', () => {
    expect(maskAlertData({ a: ['13812345678', 3], b: { c: '地址：海淀区中关村大街1号' }, d: true })).toEqual({
      a: ['138****5678', 3],
      b: { c: '地址：海****' },
      d: true,
    });
  });
});
