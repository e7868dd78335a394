/**
 * Every written form of a phone, ID number, e-mail and WeChat id is masked, and cutting text for an excerpt
 * (alerts, robot, CSV, spike examples, the customer view) never uncovers a piece of one: each form is fed at
 * every cut position and the hidden part must not show.
 */
import { describe, expect, it } from 'vitest';
import { alertExcerpt, maskAlertText } from '../../src/alerts/mask.js';
import { maskedExcerpt, maskText } from '../../src/core/mask.js';

/** [written form, what may show, the part that must never show (digits/letters only)] */
const FORMS: [string, string, string][] = [
  ['13812345678', '138****5678', '1234'],
  ['138.1234.5678', '138****5678', '1234'],
  ['138_1234_5678', '138****5678', '1234'],
  ['138 1234 5678', '138****5678', '1234'],
  ['1 3 8 1 2 3 4 5 6 7 8', '138****5678', '1234'],
  ['+86.138.1234.5678', '138****5678', '1234'],
  ['110101199003071234', '110101********1234', '19900307'],
  ['110101 19900307 1234', '110101********1234', '19900307'],
  ['1101 0119 9003 0712 34', '110101********1234', '19900307'],
  ['zhang.san88@qq.com', 'z***@qq.com', 'hang.san88'],
  ['wxid_a1b2c3d4e5f6', 'wxid_****', 'a1b2c3d4e5f6'],
  ['微信号：zhangsan_1990', '微信号：z****', 'hangsan_1990'],
];

const compact = (s: string): string => s.replace(/[\s._·-]/g, '');

describe('masking every written form', () => {
  it.each(FORMS)('%s → %s', (form, shown) => {
    expect(maskText(`联系我 ${form} 谢谢`)).toBe(`联系我 ${shown} 谢谢`);
    expect(maskAlertText(`联系我 ${form} 谢谢`)).toBe(`联系我 ${shown} 谢谢`);
  });

  it('is idempotent for every form', () => {
    for (const [form] of FORMS) expect(maskText(maskText(form))).toBe(maskText(form));
  });

  it('leaves order ids, prices and ordinary sentences readable', () => {
    for (const text of ['订单 6919000011112222333 还没到', '价格 12.5 元', '3号能到吗', 'version 1.2.3']) expect(maskText(text)).toBe(text);
  });

  it('never shows the hidden part at any cut position', () => {
    for (const [form, , hidden] of FORMS) {
      const text = `您好，我的联系方式是${form}，请尽快处理`;
      for (let cut = 0; cut <= [...text].length + 1; cut++) {
        for (const out of [maskedExcerpt(text, cut), alertExcerpt(text, cut)]) {
          expect(compact(out), `${form} cut at ${cut}`).not.toContain(compact(hidden));
          expect([...out.replace(/…$/, '')].length).toBeLessThanOrEqual(cut);
        }
      }
    }
  });
});
