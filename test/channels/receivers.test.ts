/**
 * The channel receivers as pure functions (what the generic webhook handler relies on): verify refuses what is not
 * the platform's with a coded 401 and parse turns a delivery into claimable events with deterministic ids. The HTTP
 * side (acks, 413, claims under retries) is covered per channel in test/channels/<name>/*route*.test.ts.
 */
import { createHash } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { createDoudianReceiver } from '../../src/channels/doudian/index.js';
import { createWecomReceiver } from '../../src/channels/wecom/index.js';
import type { WebhookDelivery } from '../../src/channels/types.js';
import { AppError } from '../../src/core/errors.js';
import { VECTOR } from './wecom/env.js';
import { kfAuthChangeXml } from './wecom/fixtures.js';

const NOW = 1_718_000_000_000;

function rejection(fn: () => unknown): { status: number; code: string } | 'accepted' {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, code: err.code };
    throw err;
  }
}

describe('WeCom receiver', () => {
  const receiver = createWecomReceiver({ corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key });
  const callback = (inner: string, sig?: string): WebhookDelivery => {
    const enc = encrypt(VECTOR.key, inner, VECTOR.corpId);
    const timestamp = String(NOW / 1000);
    const query = { msg_signature: sig ?? getSignature(VECTOR.token, timestamp, 'n1', enc), timestamp, nonce: 'n1' };
    return { raw: Buffer.from(`<xml><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`), headers: {}, query, now: NOW };
  };
  const kf = (token: string): string =>
    `<xml><ToUserName>${VECTOR.corpId}</ToUserName><MsgType>event</MsgType><Event>kf_msg_or_event</Event><Token>${token}</Token><OpenKfId>wkAAA111</OpenKfId></xml>`;

  it('turns a kf callback into one sync job, claimed by its Token for the Token’s 10 minutes', () => {
    const first = callback(kf('ENC0012'));
    expect(rejection(() => receiver.verify(first))).toBe('accepted');
    const [event] = receiver.parse(first);
    const tokenId = createHash('sha256').update('ENC0012').digest('hex').slice(0, 32);
    expect(event).toEqual({ kind: 'job', claimId: tokenId, job: { name: 'wecom-sync', data: { openKfId: 'wkAAA111', token: 'ENC0012' }, jobId: `wecom-sync-${tokenId}` } });
    expect(receiver.parse(callback(kf('ENC0012')))).toEqual([event]);
    expect(receiver.claimSeconds).toBe(600);
    expect(receiver.ack).toEqual({ status: 200, body: '' });
  });

  it('refuses a forged signature with 401 before decrypting', () => {
    expect(rejection(() => receiver.verify(callback(kf('ENC0012'), 'f'.repeat(40))))).toEqual({ status: 401, code: 'signature' });
  });

  it('acknowledges an authorization change with masked kf ids and passes other callbacks on as notices', () => {
    const [auth] = receiver.parse(callback(kfAuthChangeXml(VECTOR.corpId, ['wkNew0001'], ['wkOld0001'])));
    expect(auth).toMatchObject({ kind: 'ignore', level: 'info' });
    expect(JSON.stringify(auth)).not.toContain('wkNew0001');
    const [other] = receiver.parse(callback(`<xml><MsgType>event</MsgType><Event>change_external_chat</Event><ChatId>wrx1</ChatId></xml>`));
    expect(other).toEqual({ kind: 'notice', fields: expect.objectContaining({ Event: 'change_external_chat', ChatId: 'wrx1' }) });
  });
});

describe('抖店 receiver', () => {
  const config = { appKey: '7000000000000000001', appSecret: 'dd-secret-abc' };
  const receiver = createDoudianReceiver(config);
  const push = (items: unknown[], sign?: string): WebhookDelivery => {
    const raw = Buffer.from(JSON.stringify(items));
    const eventSign = sign ?? createHash('md5').update(`${config.appKey}${raw.toString()}${config.appSecret}`).digest('hex');
    return { raw, headers: { 'app-id': config.appKey, 'event-sign': eventSign }, query: {}, now: NOW };
  };

  it('makes one job per item with an id from its msg_id, ignores the ping, and answers {"code":0}', () => {
    const d = push([{ tag: '0', msg_id: 'p1', data: '{}' }, { tag: '200', msg_id: 'm:1', data: '{"aftersale_id":"7001"}' }]);
    expect(rejection(() => receiver.verify(d))).toBe('accepted');
    const events = receiver.parse(d);
    expect(events[0]).toMatchObject({ kind: 'ignore' });
    expect(events[1]).toMatchObject({ kind: 'job', job: { name: 'doudian-event', data: { msgId: 'm:1', tag: '200' } } });
    const job = events[1]?.kind === 'job' ? events[1] : null;
    expect(job?.job.jobId).toBe(`doudian-${job?.claimId}`);
    expect(job?.claimId).not.toContain(':');
    expect(JSON.parse(receiver.ack.body)).toEqual({ code: 0, msg: 'success' });
  });

  it('refuses a wrong event-sign with 401 and a batch with one broken item with 400', () => {
    expect(rejection(() => receiver.verify(push([{ tag: '200', msg_id: 'm2' }], 'a'.repeat(32))))).toEqual({ status: 401, code: 'bad_signature' });
    expect(rejection(() => receiver.parse(push([{ tag: '200', msg_id: 'm3' }, { msg_id: 'm4' }])))).toEqual({ status: 400, code: 'bad_payload' });
  });
});
