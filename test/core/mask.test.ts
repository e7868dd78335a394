import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { maskDigits, maskId, maskText } from '../../src/core/mask.js';
import { createLogger } from '../../src/log.js';

describe('masking personal data', () => {
  it('masks mainland mobile numbers in every common spelling', () => {
    expect(maskText('电话13812345678')).toBe('电话138****5678');
    expect(maskText('+86 138-1234-5678 找我')).toBe('138****5678 找我');
    expect(maskText('138 1234 5678')).toBe('138****5678');
  });

  it('keeps order numbers readable but masks ID cards and street addresses', () => {
    expect(maskText('订单6919000011112222333')).toBe('订单6919000011112222333');
    expect(maskText('身份证110101199003071234')).toBe('身份证110101********1234');
    expect(maskText('寄到浙江省杭州市西湖区文三路100号3栋')).toBe('寄到浙江省****');
  });

  it('masks ids and long digit runs', () => {
    expect(maskId('wmCUSTOMER123')).toBe('wmCU***');
    expect(maskId('abc')).toBe('a***');
    expect(maskDigits('6919000011112222333')).toBe('6919****333');
  });

  it('never writes message text, user ids or tokens to the log', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const log = createLogger({ level: 'info', destination: sink });
    log.info({ text: '我的手机13812345678', customerId: 'wmSECRETID', token: 'abc', headers: { authorization: 'Bearer x' } }, 'hello');
    const out = lines.join('');
    expect(out).not.toContain('13812345678');
    expect(out).not.toContain('wmSECRETID');
    expect(out).not.toContain('Bearer');
    expect(out).toContain('[redacted]');
  });
});
