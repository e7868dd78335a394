/** Reading one message for the intake: the dialogue words, choices, numbers that are not order ids. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/core/types.js';
import { findResolution, loadLexicon, problemText, yesNo, type Lexicon } from '../../src/dialogue/lexicon.js';
import { loadPolicies } from '../../src/dialogue/policies.js';
import { matchChoice, understand, type TurnDeps } from '../../src/dialogue/turn.js';
import { CLARIFY_THRESHOLD, normalize } from '../../src/nlu/index.js';
import { testClassifier } from '../helpers/classifier.js';

let lex: Lexicon;
let deps: TurnDeps;
beforeAll(async () => {
  lex = loadLexicon();
  const nlu = await testClassifier();
  deps = { analyze: (t) => nlu.analyze(t), clarifyThreshold: CLARIFY_THRESHOLD, policies: loadPolicies(), lexicon: lex };
});

const msg = (partial: Partial<InboundMessage>): InboundMessage => ({
  channel: 'wecom',
  platformMsgId: 'p1',
  conversationKey: 'k',
  platformUserId: 'c',
  sentAt: 1,
  from: 'customer',
  kind: 'text',
  text: '',
  attachments: [],
  meta: {},
  ...partial,
});

describe('dialogue words', () => {
  it.each([
    ['我要退货退款', 'return_refund'],
    ['仅退款就行', 'refund'],
    ['想换个尺码', 'exchange'],
    ['给我补发一个吧', 'reship'],
    ['不换了，退款吧', 'refund'],
    ['不要换货，要退款', 'refund'],
    ['能赔偿一下吗', 'compensation'],
  ])('%s → %s', (text, want) => {
    expect(findResolution(lex, normalize(text))?.resolution).toBe(want);
  });

  it('finds no resolution in a message without one, or only a negated one', () => {
    expect(findResolution(lex, normalize('衣服开线了'))).toBeNull();
    expect(findResolution(lex, normalize('不想退款'))).toBeNull();
  });

  it.each([
    ['确认', 'yes'],
    ['好的谢谢', 'yes'],
    ['可以，提交吧！', 'yes'],
    ['对', 'yes'],
    ['不对', 'no'],
    ['需要修改', 'no'],
    ['衣服开线了', null],
  ])('%s → %s', (text, want) => {
    expect(yesNo(lex, normalize(text))).toBe(want);
  });

  it('strips order ids and resolution words to leave the problem', () => {
    expect(problemText(lex, normalize('订单6912345678901234567 衣服开线了，要换货'), { orderIds: ['6912345678901234567'], words: ['换货'] })).toBe(
      '衣服开线了,要',
    );
  });
});

describe('choices', () => {
  const offered = [
    { id: 'res_refund', label: '仅退款' },
    { id: 'res_return_refund', label: '退货退款' },
    { id: 'res_exchange', label: '换货' },
  ];
  it('by click, number, Chinese numeral or label', () => {
    expect(matchChoice({ kind: 'choice', choiceId: 'res_exchange', text: '换货' }, '换货', offered)).toBe('res_exchange');
    expect(matchChoice({ kind: 'text', text: '2' }, normalize('2'), offered)).toBe('res_return_refund');
    expect(matchChoice({ kind: 'text', text: '２' }, normalize('２'), offered)).toBe('res_return_refund');
    expect(matchChoice({ kind: 'text', text: '第三个' }, normalize('第三个'), offered)).toBe('res_exchange');
    expect(matchChoice({ kind: 'text', text: '退货退款' }, normalize('退货退款'), offered)).toBe('res_return_refund');
  });
  it('not a stale click, an out-of-range number, or an ambiguous fragment', () => {
    expect(matchChoice({ kind: 'choice', choiceId: 'cat_quality', text: 'x' }, 'x', offered)).toBeNull();
    expect(matchChoice({ kind: 'text', text: '7' }, '7', offered)).toBeNull();
    expect(matchChoice({ kind: 'text', text: '退款' }, '退款', offered)).toBeNull();
  });
});

describe('understand', () => {
  it('takes the order id of an order card and the photos of a message', () => {
    const card = understand(msg({ kind: 'order', text: '[订单]', orderId: '3719283746501' }), [], 'r', 0, deps);
    expect(card.orderIds).toEqual(['3719283746501']);
    const photo = understand(
      msg({ kind: 'image', text: '[图片]', attachments: [{ kind: 'image', evidenceId: 'e1', mime: 'image/jpeg', size: 10, sha256: 'ab' }] }),
      [],
      'r',
      0,
      deps,
    );
    expect(photo.evidence).toEqual([{ id: 'e1', kind: 'image', mime: 'image/jpeg', size: 10, sha256: 'ab' }]);
  });

  it('tells a short number, a phone and a tracking number apart from an order id', () => {
    expect(understand(msg({ text: '订单号是123456' }), [], 'r', 0, deps).wrongNumber).toBe('digits');
    expect(understand(msg({ text: '13800138000' }), [], 'r', 0, deps).wrongNumber).toBe('phone');
    expect(understand(msg({ text: '快递单号SF1234567890123' }), [], 'r', 0, deps).wrongNumber).toBe('tracking');
    expect(understand(msg({ text: '6912345678901234567' }), [], 'r', 0, deps).wrongNumber).toBeNull();
  });

  it('reads the problem apart from the order and the resolution', () => {
    const t = understand(msg({ text: '订单6912345678901234567 衣服开线了，要换货' }), [], 'r', 0, deps);
    expect(t).toMatchObject({ category: 'quality', resolution: 'exchange', orderIds: ['6912345678901234567'] });
  });

  it('a question about the rules fills no resolution', () => {
    const t = understand(msg({ text: '退货运费谁出' }), [], 'r', 0, deps);
    expect(t.resolution).toBeNull();
    expect(t.policyTemplates).toContain('policy.return_shipping');
  });

  it('a vague problem is unsure rather than a no-fault return', () => {
    const t = understand(msg({ text: '东西有点问题' }), [], 'r', 0, deps);
    expect(t.category).toBeNull();
    expect(t.unsureProblem).toBe(true);
  });

  it('"转人工" is a request for a person; a one-word yes is never a problem category', () => {
    expect(understand(msg({ text: '转人工' }), [], 'r', 0, deps).humanRequest).toBe(true);
    expect(understand(msg({ text: '对' }), [], 'r', 0, deps).category).toBeNull();
  });
});
