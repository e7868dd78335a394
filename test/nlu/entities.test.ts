import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../src/nlu/index.js';

const none = { orderIds: [], phones: [], trackingNumbers: [] };

describe('extractEntities', () => {
  it.each([
    ['裙子的拉链头掉了，订单 6919000011112222333', { ...none, orderIds: ['6919000011112222333'] }],
    ['订单号1234567890123456到了吗', { ...none, orderIds: ['1234567890123456'] }],
    ['单号１２３４５６７８９０１２３４５６７', { ...none, orderIds: ['12345678901234567'] }],
    ['20 位数字 12345678901234567890 不是订单', none],
    ['15 位 123456789012345 什么都不是', none],
  ])('order ids: %s', (text, expected) => {
    expect(extractEntities(text)).toEqual(expected);
  });

  it.each([
    ['电话13812345678', ['13812345678']],
    ['138 1234 5678', ['13812345678']],
    ['手机：138-1234-5678', ['13812345678']],
    ['+86 150 1234 5678 回电', ['15012345678']],
    ['+8613912345678', ['13912345678']],
    ['0086-186-0000-1234', ['18600001234']],
    ['１３７０００１１１１１', ['13700011111']],
    ['12812345678 不是手机', []],
    ['1381234567 少一位', []],
    ['客服电话 400-820-8820', []],
  ])('phones: %s', (text, phones) => {
    expect(extractEntities(text).phones).toEqual(phones);
  });

  it.each([
    ['SF1234567890123 到哪了', ['SF1234567890123']],
    ['sf123456789012', ['SF123456789012']],
    ['顺丰 SF 1309876543210', ['SF1309876543210']],
    ['YT7412589630147 查无此件', ['YT7412589630147']],
    ['yt123456789012 十二位不算', []],
    ['JDV012345678901 没更新', ['JDV012345678901']],
    ['jd0012345678901 到哪了', ['JD0012345678901']],
    ['中通 73512345678901 一直没动', ['73512345678901']],
    ['韵达单号432109876543', ['432109876543']],
    ['快递单号：７７３０４５６７８９０１２', ['7730456789012']],
    ['我的号码是 773045678901 吗', []],
    ['订单号 123456789012 对吗', []],
  ])('tracking numbers: %s', (text, trackingNumbers) => {
    expect(extractEntities(text).trackingNumbers).toEqual(trackingNumbers);
  });

  it('finds every kind in one message, each once, in order of appearance', () => {
    expect(
      extractEntities('订单6912000033344455566和4900123412341234123，电话 186-0000-1234，顺丰 SF1309876543210，订单6912000033344455566'),
    ).toEqual({
      orderIds: ['6912000033344455566', '4900123412341234123'],
      phones: ['18600001234'],
      trackingNumbers: ['SF1309876543210'],
    });
  });

  it('does not read a phone or a waybill inside a longer digit run', () => {
    expect(extractEntities('快递 6913812345678123456')).toEqual({ ...none, orderIds: ['6913812345678123456'] });
  });

  describe('resident ID numbers (GB 11643) are never order ids', () => {
    // Check digits computed with the ISO 7064 MOD 11-2 weights of GB 11643-1999.
    it.each([
      ['身份证号110105199003071239', none],
      ['实名认证 44030119900101104x 怎么弄', none],
      ['我身份证 11010519491231002X，订单 4962018857301124837 的衣服开线了', { ...none, orderIds: ['4962018857301124837'] }],
      ['订单6930112233445566778，登记的身份证是110105199003071239，电话13800138000', { ...none, orderIds: ['6930112233445566778'], phones: ['13800138000'] }],
    ])('%s', (text, expected) => {
      expect(extractEntities(text)).toEqual(expected);
    });

    it.each([
      ['wrong check digit', '110105199003071230', ['110105199003071230']],
      ['no such date (Feb 30)', '110105199002301238', ['110105199002301238']],
      ['born in the future', '110105209901011234', ['110105209901011234']],
      ['17 digits and an X that is not an ID: the digits are an order id', '11010519900307123X', ['11010519900307123']],
    ])('an 18-digit run that is not an ID stays an order id: %s', (_why, text, orderIds) => {
      expect(extractEntities(`订单 ${text}`).orderIds).toEqual(orderIds);
    });
  });

  it('copes with empty and digit-free text', () => {
    expect(extractEntities('')).toEqual(none);
    expect(extractEntities('衣服开线了')).toEqual(none);
  });
});
