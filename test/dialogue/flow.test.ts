/** The pure dialogue step, driven in memory with the real classifier, policy file and texts. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/core/types.js';
import { caseRef } from '../../src/dialogue/answers.js';
import { loadPolicies } from '../../src/dialogue/policies.js';
import { readState, STATE_VERSION } from '../../src/dialogue/state.js';
import type { Nlu } from '../../src/nlu/index.js';
import { order, SCRIPTS } from './scripts.js';
import { Sim} from './sim.js';
import { testClassifier } from '../helpers/classifier.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await testClassifier();
});

function kase(partial: Partial<Case>): Case {
  return {
    id: '0f7c2a4e-1111-4222-8333-444455556666',
    channel: 'web',
    customerId: 'cust',
    conversationId: 'conv',
    category: 'quality',
    orderId: order(1),
    description: null,
    evidence: [],
    resolution: 'refund',
    status: 'open',
    priority: 2,
    risk: false,
    assignee: null,
    csat: null,
    reopenCount: 0,
    sla: null,
    steps: [],
    data: {},
    version: 1,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...partial,
  };
}

describe('scripted dialogues, in memory', () => {
  for (const script of SCRIPTS) {
    it(script.name, () => {
      const sim = new Sim(nlu);
      for (const [i, step] of script.steps.entries()) {
        const a = step.do;
        const t = 'say' in a ? sim.say(a.say) : 'click' in a ? sim.click(a.click) : sim.photo();
        const where = `${script.name} step ${i + 1}: ${t.text}`;
        if (step.expect?.asking !== undefined) expect(t.state.asking, where).toBe(step.expect.asking);
        for (const id of step.expect?.offers ?? []) expect(t.choices.map((c) => c.id), where).toContain(id);
        for (const f of step.expect?.includes ?? []) expect(t.text, where).toContain(f);
        if (step.expect?.human) expect(t.effect?.type, where).toBe('escalate');
      }
      const effect = sim.turns.map((t) => t.effect).find((e) => e !== null) ?? null;
      if (script.noCase) expect(effect).toBeNull();
      if (script.case) {
        // A filed case as amended afterwards; an escalation as handed over.
        const filed = sim.filed[0];
        const intake = effect?.type === 'escalate' ? effect.intake : null;
        const got = filed
          ? { category: filed.category, orderId: filed.orderId, resolution: filed.resolution, evidence: filed.evidence.length }
          : { category: intake?.category ?? (effect?.type === 'escalate' ? effect.category : null), orderId: intake?.orderId ?? null, resolution: intake?.resolution ?? null, evidence: intake?.evidence.length ?? 0 };
        expect(got).toEqual({ category: script.case.category, orderId: script.case.orderId, resolution: script.case.resolution, evidence: script.case.evidence });
        expect(effect?.type).toBe(script.case.status === 'escalated' ? 'escalate' : 'submit');
        expect(sim.filed.length).toBe(script.case.status === 'escalated' ? 0 : 1);
      }
    });
  }
});

describe('slot filling', () => {
  it('fills category, order id, description and resolution from one message', () => {
    const sim = new Sim(nlu);
    const t = sim.say(`订单号${order(40)}，裙子拉链坏了，想退货退款`);
    expect(t.state.intake).toMatchObject({ category: 'quality', orderId: order(40), resolution: 'return_refund' });
    expect(t.state.intake?.description).toContain('拉链坏了');
    expect(t.state.intake?.description).not.toContain(order(40));
    expect(t.state.asking).toBe('evidence');
  });

  it('corrects the resolution and the order id at any stage, and says so', () => {
    const sim = new Sim(nlu);
    sim.say('尺码不合适，想换大一码');
    const changed = sim.say('不换了，改成退货退款');
    expect(sim.state.intake?.resolution).toBe('return_refund');
    expect(changed.text).toContain('退货退款');
    const filed = sim.say(order(41));
    expect(filed.effect?.type).toBe('submit');
    expect(filed.text).toContain('0041');
    // After filing: the same case is corrected, the shopper told in one line, no second case.
    const fixed = sim.say(`订单号发错了，是${order(42)}`);
    expect(fixed.effect).toEqual({ type: 'amend', caseId: sim.filed[0]?.id, change: { orderId: order(42) } });
    expect(fixed.text).toContain(order(42));
    const mind = sim.say('不要退货退款了，换一个');
    expect(mind.effect).toMatchObject({ type: 'amend', change: { resolution: 'exchange' } });
    expect(mind.text).toContain('换货');
    expect(sim.filed).toHaveLength(1);
    expect(sim.filed[0]).toMatchObject({ orderId: order(42), resolution: 'exchange' });
  });

  it('leaves a case someone has taken alone, and a new problem after filing opens its own intake', () => {
    const sim = new Sim(nlu);
    sim.say('尺码不合适，想换大一码');
    sim.say(order(61));
    const c = sim.filed[0];
    if (!c) throw new Error('no case filed');
    c.status = 'assigned';
    expect(sim.say(`订单号发错了，是${order(62)}`).effect?.type).not.toBe('amend');
    c.status = 'open';
    const other = new Sim(nlu);
    other.say('尺码不合适，想换大一码');
    other.say(order(63));
    expect(other.say(`还有个问题，${order(64)}这单的杯子漏水了`).effect?.type).not.toBe('amend');
    expect(other.state.intake?.orderId).toBe(order(64));
  });

  it('refuses a resolution the policy does not allow for the category and lists the allowed ones', () => {
    const sim = new Sim(nlu);
    sim.say('发错货了，我买的是白色的');
    sim.say(order(43));
    sim.photo();
    const t = sim.say('我要维修');
    expect(t.text).toContain('换货');
    expect(sim.state.intake?.resolution).toBeNull();
    expect(sim.state.failures.resolution).toBe(1);
    expect(t.choices.map((c) => c.id)).not.toContain('res_repair');
  });

  it('drops a resolution that a later-known category does not allow', () => {
    const sim = new Sim(nlu);
    sim.say('我要维修');
    expect(sim.state.intake?.resolution).toBe('repair');
    expect(sim.state.asking).toBe('category');
    const t = sim.click('cat_wrong_item');
    expect(sim.state.intake?.resolution).toBeNull();
    expect(t.text).toContain('维修');
  });

  it('shows the summary when 抖店 could not check the order, and edits one field through the edit menu', () => {
    const sim = new Sim(nlu, { orderChecks: { [order(44)]: { status: 'unchecked' } } });
    sim.say('尺码不合适，想换大一码');
    sim.say(order(44));
    const menu = sim.say('需要修改');
    expect(sim.state.asking).toBe('edit');
    expect(menu.choices.map((c) => c.id)).toContain('edit_resolution');
    sim.click('edit_resolution');
    expect(sim.state.asking).toBe('resolution');
    expect(sim.state.intake?.resolution).toBeNull();
    sim.say('2'); // typed number = second button
    expect(sim.state.asking).toBe('confirm');
    expect(sim.state.intake?.resolution).toBe('exchange');
    expect(sim.click('confirm_yes').effect).toMatchObject({ type: 'submit', intake: { orderId: order(44), resolution: 'exchange' } });
  });

  it('accepts the typed label of a button as the click', () => {
    const sim = new Sim(nlu);
    sim.photo();
    expect(sim.state.asking).toBe('category');
    sim.say('发错/漏发');
    expect(sim.state.intake?.category).toBe('wrong_item');
  });

  it('a photo sent twice is counted once', () => {
    const sim = new Sim(nlu);
    sim.say('杯子有裂缝');
    sim.photo('same');
    const again = sim.photo('same');
    expect(sim.state.intake?.evidence).toHaveLength(1);
    expect(again.text).toMatch(/已经收到|不用重复/);
  });

  it('thanks, greetings and questions mid-intake are answered and the open question is asked again', () => {
    const sim = new Sim(nlu);
    sim.say('衣服开线了');
    expect(sim.state.asking).toBe('orderId');
    for (const text of ['你好', '好的谢谢', '七天无理由吗']) {
      const t = sim.say(text);
      expect(sim.state.asking, text).toBe('orderId');
      expect(t.text, text).toMatch(/订单号/);
    }
    expect(sim.state.failures.orderId ?? 0).toBe(0);
  });

  it('explains where to find the order number without counting it as a failed answer', () => {
    const sim = new Sim(nlu);
    sim.say('衣服开线了');
    const t = sim.say('订单号在哪里看');
    expect(t.text).toContain('我的订单');
    expect(sim.state.asking).toBe('orderId');
    expect(sim.state.failures.orderId ?? 0).toBe(0);
  });

  it('counts failures per question and resets them once the slot is filled', () => {
    const sim = new Sim(nlu);
    sim.say('衣服开线了');
    sim.say('123');
    sim.say('13800138000');
    expect(sim.state.failures.orderId).toBe(2);
    expect(sim.last.text).toContain('手机号');
    sim.say(order(45));
    expect(sim.state.failures.orderId).toBeUndefined();
  });

  it('a risky message at the summary escalates with everything collected', () => {
    const sim = new Sim(nlu, { orderChecks: { [order(46)]: { status: 'unchecked' } } });
    sim.say('尺码不合适，想换大一码');
    sim.say(order(46));
    const t = sim.say('你们再拖我就找律师起诉');
    expect(t.effect).toMatchObject({ type: 'escalate', risk: true, urgent: true, intake: { orderId: order(46), category: 'no_fault_return' } });
    expect(t.state.intake).toBeNull();
  });

  it('a safety hazard gets safety advice first and goes to a person as a risky case', () => {
    const sim = new Sim(nlu);
    const t = sim.say('充电宝鼓包了');
    expect(t.text).toMatch(/^[^。]*停止使用/);
    expect(t.text).toContain('断电');
    expect(t.effect).toMatchObject({ type: 'escalate', risk: true, urgent: true, category: 'quality' });
    // A question about a hazard is a question, not an emergency.
    const q = new Sim(nlu).say('敏感肌用会不会过敏');
    expect(q.effect).toBeNull();
  });

  it('「算了，不用登记了」 ends the intake politely, keeps nothing open and escalates nothing', () => {
    const sim = new Sim(nlu);
    sim.say('衣服有个小洞');
    const t = sim.say('算了，不用登记了');
    expect(t.effect).toBeNull();
    expect(sim.state.intake).toBeNull();
    expect(sim.state.asking).toBeNull();
    expect(t.text).toContain('登记');
    expect(t.text).not.toContain('订单号');
  });

  it('a correction names the new problem type and the bot confirms it in one line', () => {
    const sim = new Sim(nlu);
    sim.say('和宣传的不一样，说好的防水结果一洗就掉色');
    const t = sim.say('不是宣传的问题，是质量问题');
    expect(sim.state.intake?.category).toBe('quality');
    expect(t.text).toContain('商品质量问题');
  });

  it('a sign-for date the shopper states is applied to the no-reason window before promising anything', () => {
    const t = new Sim(nlu).say('签收十天了，衣服不喜欢想退');
    expect(t.text).toContain('10天');
    expect(t.text).toContain('7天');
  });

  it('a no-fault return past the window (抖店 sign-for time) is declined by the rule, with a person offered', () => {
    const signedAt = Date.now() - 10 * 24 * 3600 * 1000;
    const sim = new Sim(nlu, { orderChecks: { [order(47)]: { status: 'ok', signedAt, statusDesc: '已完成', productName: '卫衣' } } });
    sim.say('不喜欢，想退货');
    const t = sim.say(order(47));
    expect(t.text).toContain('10天');
    expect(t.choices.map((c) => c.id)).toEqual(['human']);
    expect(sim.state.intake).toBeNull();
    const human = sim.click('human');
    expect(human.effect).toMatchObject({ type: 'escalate', reason: 'customer asked for a person' });
  });

  it('an order 抖店 does not know is refused with a hint', () => {
    const sim = new Sim(nlu, { orderChecks: { [order(48)]: { status: 'not_found' } } });
    sim.say('衣服开线了');
    const t = sim.say(order(48));
    expect(sim.state.intake?.orderId).toBeNull();
    expect(t.text).toContain(order(48));
    expect(sim.state.failures.orderId).toBe(1);
  });

  it('tells a member their compensation cap when compensation is chosen', () => {
    const sim = new Sim(nlu, { memberLevel: 'vip' });
    sim.say('主播说是真丝，收到是聚酯纤维');
    sim.say(order(49));
    sim.photo();
    const done = sim.click('res_compensation');
    expect(done.effect?.type).toBe('submit');
    expect(done.text).toContain('20元');
  });
});

describe('outside the intake', () => {
  it('welcomes on entering the session, and resumes an open intake instead', () => {
    const sim = new Sim(nlu);
    expect(sim.enter().text).toContain('测试小店');
    sim.say('衣服开线了');
    const back = sim.enter();
    expect(back.text).toMatch(/订单号/);
    expect(sim.state.asking).toBe('orderId');
  });

  it('progress: none, one, several (asks which), or the one named by order id', () => {
    const sim = new Sim(nlu);
    expect(sim.say('我的退款到哪了').text).toMatch(/没.*售后/);
    const a = kase({ id: 'aaaaaaaa-0000-4000-8000-000000000001', orderId: order(50), status: 'open' });
    const b = kase({ id: 'bbbbbbbb-0000-4000-8000-000000000002', orderId: order(51), status: 'assigned', category: 'logistics' });
    sim.cases = [a];
    expect(sim.say('我的售后处理到哪一步了').text).toContain(caseRef(a.id));
    sim.cases = [b, a];
    const pick = sim.say('退款什么时候到账');
    expect(pick.choices.map((c) => c.id)).toEqual([`case_${b.id}`, `case_${a.id}`]);
    expect(sim.state.asking).toBe('pick_case');
    const answer = sim.say('2');
    expect(answer.text).toContain(caseRef(a.id));
    expect(sim.state.asking).toBeNull();
    expect(sim.say(`订单${order(51)}的售后到哪了`).text).toContain(caseRef(b.id));
  });

  it('a refund-time question from someone without a case is answered from the rules', () => {
    const sim = new Sim(nlu);
    const t = sim.say('退款多久到账');
    expect(t.text).toContain(`${loadPolicies().refund.arrivalWorkdays}个工作日`);
  });

  it('quotes the platform status a 抖店 push left on the case', () => {
    const sim = new Sim(nlu, { cases: [kase({ data: { afterSale: { tagName: '退款成功' } } })] });
    expect(sim.say('我的退款到账了吗').text).toContain('退款成功');
  });

  it('says honestly when a question is not covered, and offers a person', () => {
    const sim = new Sim(nlu);
    const t = sim.say('有优惠券吗');
    expect(t.text).toContain('测试小店');
    expect(t.choices.map((c) => c.id)).toEqual(['human']);
    expect(t.state.intake).toBeNull();
  });

  it('never sends the same sentence twice in a row', () => {
    const sim = new Sim(nlu);
    const texts = ['你好', '你好', '你好', '在吗', '你好'].map((x) => sim.say(x).text);
    for (let i = 1; i < texts.length; i++) expect(texts[i]).not.toBe(texts[i - 1]);
    const asks = ['衣服开线了', '嗯', '嗯', 'ok'].map((x) => sim.say(x).text);
    for (let i = 1; i < asks.length; i++) expect(asks[i]).not.toBe(asks[i - 1]);
  });
});

describe('state', () => {
  it('is versioned: another version starts fresh, keeping only the last reply', () => {
    const s = readState({ v: 99, seq: 5, lastReply: '上一句' });
    expect(s.v).toBe(STATE_VERSION);
    expect(s.seq).toBe(0);
    expect(s.lastReply).toBe('上一句');
    expect(readState({ lastReply: 'ack bot' }).intake).toBeNull();
  });

  it('increments seq on every turn and stores the offered choices', () => {
    const sim = new Sim(nlu, { policies: loadPolicies() });
    sim.photo();
    expect(sim.state.seq).toBe(1);
    expect(sim.state.offered.length).toBe(6);
    sim.say('1');
    expect(sim.state.seq).toBe(2);
    expect(sim.state.intake?.category).toBe('quality');
  });
});
