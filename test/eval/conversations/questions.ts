/** The shop's own Q&A file (item 5): paraphrases, several questions at once, asked twice, asked mid-intake. */
import { order, photo, type EvalConversation } from '../types.js';

export const QUESTIONS: EvalConversation[] = [
  {
    // 「能退吗」 while telling a quality problem: the rule for a fault of ours, not the 7-day no-reason window.
    id: 'policy-return-during-quality-intake',
    item: 5,
    channel: 'wecom',
    turns: ['连衣裙洗了一次就缩水了 小了一个码', '能退吗', order(62), photo, '退货退款'],
    case: { category: 'quality', orderId: order(62), resolution: 'return_refund', evidence: 1, status: 'open' },
    says: [{ turn: 2, has: ['运费'], lacks: ['吊牌', '二次销售'] }],
  },
  {
    // 「打错了」 is a message sent by mistake, not a complaint or a return: no intake, no order number asked.
    id: 'qa-sent-by-mistake',
    item: 5,
    channel: 'web',
    turns: ['不好意思打错了'],
    noCase: true,
    says: [{ turn: 1, has: ['没关系'], lacks: ['订单号', '抱歉让您'] }],
  },
  {
    id: 'qa-invoice-paraphrase',
    item: 5,
    channel: 'web',
    turns: ['你们这边可以开增值税专用发票不'],
    noCase: true,
    says: [{ turn: 1, has: ['专用发票', '税号'], lacks: ['礼盒'] }],
  },
  {
    id: 'qa-asked-twice-no-repeat',
    item: 5,
    channel: 'wecom',
    turns: ['下单以后多久发货啊', '到底几天能发货'],
    noCase: true,
    says: [{ turn: 1, has: ['48小时'] }, { turn: 2, has: ['人工'], lacks: ['48小时'] }],
  },
  {
    id: 'qa-two-questions-only-those',
    item: 5,
    channel: 'douyin',
    turns: ['能不能包成礼盒送人，还有收货地址写错了能改吗'],
    noCase: true,
    says: [{ turn: 1, has: ['礼盒', '修改收货地址'], lacks: ['发票', '48小时'] }],
  },
  {
    id: 'qa-mid-intake-then-continue',
    item: 5,
    channel: 'web',
    turns: ['台灯用了两天就不亮了', '对了能开发票吗', order(48), photo, '换货'],
    case: { category: 'quality', orderId: order(48), resolution: 'exchange', evidence: 1, status: 'open' },
    says: [{ turn: 2, has: ['发票', '订单号'] }],
  },
];
