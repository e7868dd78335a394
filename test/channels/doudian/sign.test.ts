import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { afterSaleAppliedSkit } from '../../fakes/doudian/fixtures.js';
import { canonicalJson, doudianSign, eventSign, pushSignMethod, signString, verifyEventSign } from '../../../src/channels/doudian/sign.js';

const appKey = '7000000000000000001';
const appSecret = 'dd-secret-abc';
const method = 'order.orderDetail';
const paramJson = '{"shop_order_id":"4938471239012345678"}';
const timestamp = '1718000000';

describe('抖店 API signing', () => {
  it('matches a fixed vector (HMAC-SHA256), recomputed independently with node:crypto', () => {
    const plain = `${appSecret}app_key${appKey}method${method}param_json${paramJson}timestamp${timestamp}v2${appSecret}`;
    const independent = createHmac('sha256', appSecret).update(plain).digest('hex');
    // Also computed with Python's hmac module when the test was written.
    expect(independent).toBe('bf7d4594b5c45a8f7f6665717749cdaa9a0c8fd9deb32179aae373cb9a2dcf9a');
    expect(signString({ appKey, appSecret, method, paramJson, timestamp })).toBe(plain);
    expect(doudianSign({ appKey, appSecret, method, paramJson, timestamp })).toBe(independent);
  });

  it('supports the md5 sign method', () => {
    const plain = `${appSecret}app_key${appKey}method${method}param_json${paramJson}timestamp${timestamp}v2${appSecret}`;
    expect(doudianSign({ appKey, appSecret, method, paramJson, timestamp, signMethod: 'md5' })).toBe(
      createHash('md5').update(plain).digest('hex'),
    );
    expect(doudianSign({ appKey, appSecret, method, paramJson, timestamp, signMethod: 'md5' })).toBe('faacfbdbcfaa7445c89372dfa4f888df');
  });

  it('serialises param_json compactly with keys sorted at every level', () => {
    expect(canonicalJson({ size: 10, order_id: 'A', nested: { z: 1, a: [{ y: 2, b: 3 }] }, skip: undefined })).toBe(
      '{"nested":{"a":[{"b":3,"y":2}],"z":1},"order_id":"A","size":10}',
    );
  });
});

describe('抖店 push event-sign', () => {
  const body = Buffer.from('[{"tag":"206","msg_id":"m1","data":"{}"}]');
  it('is md5(app_key + body + app_secret)', () => {
    expect(eventSign(appKey, appSecret, body)).toBe('0423dd52dd1e341325c029024e2f7e57');
    expect(verifyEventSign(appKey, appSecret, body, '0423DD52DD1E341325C029024E2F7E57')).toBe(true);
    expect(verifyEventSign(appKey, appSecret, body, '0423dd52')).toBe(false);
    expect(verifyEventSign(appKey, appSecret, body, null)).toBe(false);
  });

  it('accepts the hmac-sha256 variant only when the header asks for it', () => {
    const hmac = createHmac('sha256', appSecret).update(appKey + body.toString() + appSecret).digest('hex');
    expect(pushSignMethod('hmac-sha256')).toBe('hmac-sha256');
    expect(pushSignMethod(undefined)).toBe('md5');
    expect(verifyEventSign(appKey, appSecret, body, hmac, 'hmac-sha256')).toBe(true);
    expect(verifyEventSign(appKey, appSecret, body, hmac, 'md5')).toBe(false);
  });

  it('is computed over the raw bytes as received (Go SDK VerifySign(body []byte)), not over re-serialised JSON', () => {
    // Real-shaped bodies: int64 ids as bare numbers (SKIT sample form) and UTF-8 text inside the data string.
    for (const text of [afterSaleAppliedSkit('m-200', '4705288465508532862', '123456'), '[{"tag":"113","msg_id":"m-113","data":"{\\"remark\\":\\"周末送\\"}"}]']) {
      const raw = Buffer.from(text, 'utf8');
      const official = createHash('md5').update(Buffer.concat([Buffer.from(appKey), raw, Buffer.from(appSecret)])).digest('hex');
      expect(eventSign(appKey, appSecret, raw)).toBe(official);
      expect(verifyEventSign(appKey, appSecret, raw, official)).toBe(true);
    }
    // JSON.parse + stringify rounds the ids and changes the bytes: that body must not pass with the signature.
    const raw = Buffer.from(afterSaleAppliedSkit('m-200', '4705288465508532862', '123456'));
    const signature = eventSign(appKey, appSecret, raw);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
    expect(reserialised.toString()).toContain('4705288465508533000');
    expect(verifyEventSign(appKey, appSecret, reserialised, signature)).toBe(false);
  });
});
