/**
 * Scripted intake dialogues, written once and played through any channel driver (the web simulator now,
 * the WeCom fake once that channel is wired). Each step says what the customer does and what must hold
 * afterwards: the question the bot is waiting for, buttons offered, words in the reply.
 */
import type { CaseCategory, CaseStatus, Resolution } from '../../src/core/types.js';
import type { Asking } from '../../src/dialogue/state.js';

export type Action = { say: string } | { click: string } | { photo: true };

export interface Expect {
  /** What the bot waits for afterwards (conversation.state.asking). */
  asking?: Asking;
  /** Choice ids that must be offered. */
  offers?: string[];
  /** Every fragment must appear in the reply. */
  includes?: string[];
  /** The conversation was handed to people. */
  human?: boolean;
}

export interface ScriptStep {
  do: Action;
  expect?: Expect;
}

export interface CaseExpectation {
  category: CaseCategory | null;
  orderId: string | null;
  resolution: Resolution | null;
  evidence: number;
  priority: 1 | 2 | 3;
  risk: boolean;
  status: CaseStatus;
}

export interface Script {
  name: string;
  steps: ScriptStep[];
  /** The case the dialogue must have created (the newest of the customer's cases). */
  case?: CaseExpectation;
  /** No case may exist at the end. */
  noCase?: boolean;
}

const say = (text: string, expect?: Expect): ScriptStep => ({ do: { say: text }, ...(expect ? { expect } : {}) });
const click = (id: string, expect?: Expect): ScriptStep => ({ do: { click: id }, ...(expect ? { expect } : {}) });
const photo = (expect?: Expect): ScriptStep => ({ do: { photo: true }, ...(expect ? { expect } : {}) });

export const order = (n: number): string => `69120000000000${String(n).padStart(5, '0')}`;

export const SCRIPTS: Script[] = [
  {
    name: 'quality: order, problem and resolution in one message, then a photo',
    steps: [
      say('你好', { asking: null }),
      say(`订单${order(1)} 衣服开线了，要换货`, { asking: 'evidence', includes: ['0001'] }),
      // Nothing ambiguous: filed at once, with the one-line summary and how to correct it.
      photo({ asking: null, includes: ['0001', '换货', '直接'] }),
    ],
    case: { category: 'quality', orderId: order(1), resolution: 'exchange', evidence: 1, priority: 2, risk: false, status: 'open' },
  },
  {
    name: 'logistics: photo first, damage in transit, order later, resolution by button',
    steps: [
      photo({ asking: 'category', offers: ['cat_quality', 'cat_logistics'] }),
      say('快递压坏了，杯子都碎了', { asking: 'orderId' }),
      say(`订单号是 ${order(2)}`, { asking: 'resolution', offers: ['res_reship', 'res_refund'] }),
      click('res_reship', { asking: null, includes: ['0002', '补发'] }),
    ],
    case: { category: 'logistics', orderId: order(2), resolution: 'reship', evidence: 1, priority: 2, risk: false, status: 'open' },
  },
  {
    name: 'wrong item: the order number corrected right after filing amends the case',
    steps: [
      say('发错颜色了，我买的白色收到的是黑色', { asking: 'orderId' }),
      say(order(3), { asking: 'evidence' }),
      photo({ asking: 'resolution', offers: ['res_exchange'] }),
      say('换货', { asking: null, includes: ['0003'] }),
      say(`订单号发错了，是${order(33)}`, { asking: null, includes: [order(33)] }),
    ],
    case: { category: 'wrong_item', orderId: order(33), resolution: 'exchange', evidence: 1, priority: 2, risk: false, status: 'open' },
  },
  {
    name: 'false advertising: invalid order number, missing photo, then compensation (urgent by policy)',
    steps: [
      say('主播说是纯棉的，收到是化纤的', { asking: 'orderId' }),
      say('订单号123456', { asking: 'orderId', includes: ['订单号'] }),
      say(order(4), { asking: 'evidence' }),
      say('没有照片', { asking: 'evidence' }),
      photo({ asking: 'resolution', offers: ['res_compensation'] }),
      say('我要赔偿', { asking: null, includes: ['0004', '补偿'] }),
    ],
    case: { category: 'false_ad', orderId: order(4), resolution: 'compensation', evidence: 1, priority: 1, risk: false, status: 'open' },
  },
  {
    name: 'service complaint: feedback only, no resolution needed',
    steps: [
      say('客服态度太差了，问了三遍都不回我', { asking: 'orderId' }),
      say(order(5), { asking: 'resolution', offers: ['res_compensation', 'res_none'] }),
      click('res_none', { asking: null, includes: ['0005'] }),
    ],
    case: { category: 'service', orderId: order(5), resolution: null, evidence: 0, priority: 2, risk: false, status: 'open' },
  },
  {
    name: 'no-fault return: size exchange, no photo needed, window rule stated',
    steps: [
      say('尺码不合适，想换大一码', { asking: 'orderId' }),
      say(order(6), { asking: null, includes: ['换货', '7天'] }),
    ],
    case: { category: 'no_fault_return', orderId: order(6), resolution: 'exchange', evidence: 0, priority: 2, risk: false, status: 'open' },
  },
  {
    name: 'risky message mid-flow: handed to a person at once with what was collected',
    steps: [
      say('衣服开线了', { asking: 'orderId' }),
      say(order(7), { asking: 'evidence' }),
      say('再不处理我就去12315投诉你们', { human: true, includes: ['分钟'] }),
    ],
    case: { category: 'quality', orderId: order(7), resolution: null, evidence: 0, priority: 1, risk: true, status: 'escalated' },
  },
  {
    name: 'asks for a person mid-flow',
    steps: [say('物流三天没更新了', { asking: 'orderId' }), say('转人工', { human: true, includes: ['分钟'] })],
    case: { category: 'logistics', orderId: null, resolution: null, evidence: 0, priority: 2, risk: false, status: 'escalated' },
  },
  {
    name: 'three invalid order numbers: a person takes over',
    steps: [
      say('衣服起球很严重', { asking: 'orderId' }),
      say('123456', { asking: 'orderId' }),
      say('6543210', { asking: 'orderId' }),
      say('11111222', { human: true, includes: ['分钟'] }),
    ],
    case: { category: 'quality', orderId: null, resolution: null, evidence: 0, priority: 2, risk: false, status: 'escalated' },
  },
  {
    name: 'policy question in the middle of an intake is answered from the policy file, then the intake resumes',
    steps: [
      say('衣服开线了', { asking: 'orderId' }),
      say('退货运费谁出', { asking: 'orderId', includes: ['店铺'] }),
      say(order(12), { asking: 'evidence' }),
    ],
    noCase: true,
  },
  {
    name: 'unsure problem: a clarifying question with choices',
    steps: [
      say('东西有点问题', { asking: 'category', offers: ['cat_quality', 'cat_wrong_item'] }),
      click('cat_quality', { asking: 'orderId' }),
      say(order(13), { asking: 'evidence' }),
      photo({ asking: 'resolution' }),
      click('res_refund', { asking: null, includes: ['0013', '仅退款'] }),
    ],
    case: { category: 'quality', orderId: order(13), resolution: 'refund', evidence: 1, priority: 2, risk: false, status: 'open' },
  },
];
