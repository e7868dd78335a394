/** Reading the return tracking number the bot asked for: each carrier's format, with and without its name. */
import { describe, expect, it } from 'vitest';
import { readTrackingNumber } from '../../src/cases/tracking-number.js';

describe('readTrackingNumber', () => {
  it.each([
    ['SF1234567890123', 'SF1234567890123', '顺丰'],
    ['顺丰 sf 123456789012345', 'SF123456789012345', '顺丰'],
    ['已寄出，圆通YT1234567890123', 'YT1234567890123', '圆通'],
    ['中通 75123456789012', '75123456789012', '中通'],
    ['韵达快递 4312345678901', '4312345678901', '韵达'],
    ['申通773123456789012', '773123456789012', '申通'],
    ['京东 JDVA12345678901', 'JDVA12345678901', '京东'],
    ['JT1234567890123', 'JT1234567890123', '极兔'],
    ['EMS EA123456789CN', 'EA123456789CN', 'EMS'],
    ['ＳＦ１２３４５６７８９０１２３', 'SF1234567890123', '顺丰'],
  ])('%s → %s (%s)', (text, trackingNo, carrier) => {
    expect(readTrackingNumber(text)).toEqual({ trackingNo, carrier });
  });

  it('a bare waybill number counts without the carrier, which is then not named', () => {
    expect(readTrackingNumber('78123456789012')).toEqual({ trackingNo: '78123456789012', carrier: null });
  });

  it.each([
    ['什么时候退款'],
    ['我的电话 13812345678'],
    ['订单 6912345678901234567'],
    ['订单号 1234567890123 怎么还没处理'],
    ['SF12345'],
  ])('%s is not a tracking number', (text) => {
    expect(readTrackingNumber(text)).toBeNull();
  });
});
