/**
 * The test vectors of the official WXBizMsgCrypt samples (https://developer.work.weixin.qq.com/document/path/90307,
 * scheme: https://developer.work.weixin.qq.com/document/path/90968) and the checks @wecom/crypto leaves to us.
 */
import { createCipheriv } from 'node:crypto';
import { encrypt } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { decryptPayload, sign, verifySignature, WecomCryptoError } from '../../../src/channels/wecom/crypto.js';
import { VECTOR } from './env.js';

const GET = {
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  plaintext: '1616140317555161061',
};

const POST = {
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  signature: '477715d11cdb4164915debcba66cb864d751f3e6',
};

const reason = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof WecomCryptoError) return err.reason;
    throw err;
  }
  return 'accepted';
};

describe('WeCom crypto — official vectors', () => {
  it('signs and opens the URL-verification echostr', () => {
    expect(sign(VECTOR.token, GET.timestamp, GET.nonce, GET.echostr)).toBe(GET.signature);
    expect(verifySignature({ token: VECTOR.token, ...GET, encrypt: GET.echostr })).toBe(true);
    expect(decryptPayload(VECTOR.key, GET.echostr, VECTOR.corpId)).toBe(GET.plaintext);
  });

  it('signs and opens the message POST', () => {
    expect(sign(VECTOR.token, POST.timestamp, POST.nonce, POST.encrypt)).toBe(POST.signature);
    expect(verifySignature({ token: VECTOR.token, ...POST })).toBe(true);
    const xml = decryptPayload(VECTOR.key, POST.encrypt, VECTOR.corpId);
    expect(xml).toContain('<FromUserName><![CDATA[mycreate]]></FromUserName>');
    expect(xml).toContain('<Content><![CDATA[hello]]></Content>');
    expect(xml).toContain('<MsgId>4561255354251345929</MsgId>');
  });
});

describe('WeCom crypto — hostile input', () => {
  it('refuses wrong, short, long and non-hex signatures without throwing', () => {
    const base = { token: VECTOR.token, ...POST };
    expect(verifySignature({ ...base, signature: POST.signature.replace(/.$/, '7') })).toBe(false);
    expect(verifySignature({ ...base, signature: POST.signature.slice(0, 20) })).toBe(false);
    expect(verifySignature({ ...base, signature: `${POST.signature}00` })).toBe(false);
    expect(verifySignature({ ...base, signature: 'z'.repeat(40) })).toBe(false);
    expect(verifySignature({ ...base, signature: '' })).toBe(false);
    expect(verifySignature({ ...base, signature: POST.signature.toUpperCase() })).toBe(true);
  });

  it('requires the receive id to be the corp id', () => {
    expect(reason(() => decryptPayload(VECTOR.key, POST.encrypt, 'wwOtherCorp'))).toBe('receive_id');
    const foreign = encrypt(VECTOR.key, '<xml/>', 'wwOtherCorp');
    expect(reason(() => decryptPayload(VECTOR.key, foreign, VECTOR.corpId))).toBe('receive_id');
  });

  it('refuses malformed base64 and partial blocks', () => {
    expect(reason(() => decryptPayload(VECTOR.key, 'not base64!!', VECTOR.corpId))).toBe('bad_base64');
    expect(reason(() => decryptPayload(VECTOR.key, '', VECTOR.corpId))).toBe('bad_base64');
    expect(reason(() => decryptPayload(VECTOR.key, POST.encrypt.slice(0, -4), VECTOR.corpId))).toBe('bad_base64');
    expect(reason(() => decryptPayload(VECTOR.key, Buffer.alloc(16).toString('base64'), VECTOR.corpId))).toBe('bad_base64');
    expect(reason(() => decryptPayload(VECTOR.key, POST.encrypt.replace(/\+/g, '-'), VECTOR.corpId))).toBe('bad_base64');
  });

  it('refuses bad PKCS#7 padding (which @wecom/crypto would pass through)', () => {
    const seal = (plain: Buffer): string => {
      const key = Buffer.from(`${VECTOR.key}=`, 'base64');
      const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
      return Buffer.concat([c.update(plain), c.final()]).toString('base64');
    };
    const body = (msg: string): Buffer => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(Buffer.byteLength(msg));
      return Buffer.concat([Buffer.alloc(16, 1), len, Buffer.from(msg), Buffer.from(VECTOR.corpId)]);
    };
    const good = body('<xml/>');
    const padLen = 32 - (good.length % 32);
    const pad = (byte: (i: number) => number): Buffer => Buffer.from(Array.from({ length: padLen }, (_, i) => byte(i)));
    expect(decryptPayload(VECTOR.key, seal(Buffer.concat([good, pad(() => padLen)])), VECTOR.corpId)).toBe('<xml/>');
    expect(reason(() => decryptPayload(VECTOR.key, seal(Buffer.concat([good, pad(() => 0)])), VECTOR.corpId))).toBe('bad_padding');
    expect(reason(() => decryptPayload(VECTOR.key, seal(Buffer.concat([good, pad((i) => (i === 0 ? 9 : padLen))])), VECTOR.corpId))).toBe(
      padLen > 1 ? 'bad_padding' : 'accepted',
    );
    const big = Buffer.concat([body('x'.repeat(10)), Buffer.alloc(0)]);
    const fill = 64 - big.length;
    expect(reason(() => decryptPayload(VECTOR.key, seal(Buffer.concat([big, Buffer.alloc(fill, 33)])), VECTOR.corpId))).toBe('bad_padding');
  });
});
