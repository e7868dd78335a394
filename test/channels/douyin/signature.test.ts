import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { douyinSignature, verifyDouyinSignature } from '../../../src/channels/douyin/signature.js';

const secret = 'dy-secret';
const body = Buffer.from('{"event":"im_receive_msg","content":{"text":"我要退货"}}');
// Computed independently of the code under test.
const good = createHash('sha1').update(Buffer.concat([Buffer.from(secret), body])).digest('hex');

describe('douyin webhook signature', () => {
  it('computes sha1(secret + raw body) as hex', () => {
    expect(douyinSignature(secret, body)).toBe(good);
  });

  it('accepts the right signature', () => {
    expect(verifyDouyinSignature(secret, body, good)).toBe(true);
  });

  it('accepts uppercase hex', () => {
    expect(verifyDouyinSignature(secret, body, good.toUpperCase())).toBe(true);
  });

  it('refuses a one-character-off signature', () => {
    const off = (good[0] === 'a' ? 'b' : 'a') + good.slice(1);
    expect(verifyDouyinSignature(secret, body, off)).toBe(false);
  });

  it('refuses wrong lengths without throwing', () => {
    expect(verifyDouyinSignature(secret, body, good.slice(0, 39))).toBe(false);
    expect(verifyDouyinSignature(secret, body, `${good}00`)).toBe(false);
    expect(verifyDouyinSignature(secret, body, '')).toBe(false);
    expect(verifyDouyinSignature(secret, body, null)).toBe(false);
  });

  it('refuses non-hex of the right length and a signature over other bytes', () => {
    expect(verifyDouyinSignature(secret, body, 'z'.repeat(40))).toBe(false);
    expect(verifyDouyinSignature(secret, Buffer.concat([body, Buffer.from(' ')]), good)).toBe(false);
    expect(verifyDouyinSignature('other', body, good)).toBe(false);
  });
});
