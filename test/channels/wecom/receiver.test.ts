/** Callback verification as a pure function: signature, replay window, receive id and hostile XML. */
import { encrypt, getSignature } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS, openCallback, openEcho } from '../../../src/channels/wecom/receiver.js';
import { MAX_DEPTH, parseCallbackXml, parseFlatXml, WecomXmlError } from '../../../src/channels/wecom/xml.js';
import { AppError } from '../../../src/core/errors.js';
import { VECTOR } from './env.js';
import { groupMembersChangedXml, kfAuthChangeXml } from './fixtures.js';

const secrets = { corpId: VECTOR.corpId, token: VECTOR.token, encodingAesKey: VECTOR.key };
const NOW = 1_718_000_000_000;

function request(inner: string, opts: { ts?: number; receiveId?: string; sig?: string; outer?: (enc: string) => string } = {}) {
  const enc = encrypt(VECTOR.key, inner, opts.receiveId ?? VECTOR.corpId);
  const timestamp = String(Math.floor((opts.ts ?? NOW) / 1000));
  const nonce = '12345';
  const query = { msg_signature: opts.sig ?? getSignature(VECTOR.token, timestamp, nonce, enc), timestamp, nonce };
  const body = opts.outer ? opts.outer(enc) : `<xml><ToUserName><![CDATA[${VECTOR.corpId}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`;
  return { query, body: Buffer.from(body) };
}

const KF_EVENT =
  '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><CreateTime>1718000000</CreateTime><MsgType><![CDATA[event]]></MsgType>' +
  '<Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENC0012]]></Token><OpenKfId><![CDATA[wkAAA111]]></OpenKfId></xml>';

function rejection(fn: () => unknown): { status: number; code: string } | 'accepted' {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, code: err.code };
    throw err;
  }
}

describe('openEcho (GET URL verification)', () => {
  it('answers the official vector', () => {
    const query = {
      msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
      timestamp: '1409659589',
      nonce: '263014780',
      echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    };
    expect(openEcho(secrets, query)).toBe('1616140317555161061');
    expect(rejection(() => openEcho(secrets, { ...query, nonce: '1' }))).toEqual({ status: 401, code: 'signature' });
  });
});

describe('openCallback (POST)', () => {
  it('opens a kf_msg_or_event and keeps values as strings', () => {
    const { query, body } = request(KF_EVENT);
    const { fields } = openCallback(secrets, query, body, NOW);
    expect(fields).toMatchObject({ MsgType: 'event', Event: 'kf_msg_or_event', Token: 'ENC0012', OpenKfId: 'wkAAA111', CreateTime: '1718000000' });
  });

  it('opens callbacks that repeat and nest elements (official samples), still refusing declarations', () => {
    const auth = request(kfAuthChangeXml(VECTOR.corpId, ['wkNew0001', 'wkNew0002'], ['wkOld0001']));
    const opened = openCallback(secrets, auth.query, auth.body, NOW);
    expect(opened.fields).toMatchObject({ MsgType: 'event', Event: 'kf_account_auth_change' });
    expect(opened.fields.AuthAddOpenKfId).toBeUndefined(); // repeated: no guessing which one
    expect(opened.lists).toMatchObject({ AuthAddOpenKfId: ['wkNew0001', 'wkNew0002'], AuthDelOpenKfId: ['wkOld0001'] });

    const group = request(groupMembersChangedXml(VECTOR.corpId, 'wrChat001', ['wmMember01', 'wmMember02']));
    const changed = openCallback(secrets, group.query, group.body, NOW);
    expect(changed.fields).toMatchObject({ Event: 'change_external_chat', ChatId: 'wrChat001', UpdateDetail: 'add_member', MemChangeCnt: '2' });
    expect(changed.fields.MemChangeList).toBeUndefined();
    expect(changed.lists['MemChangeList/Item']).toEqual(['wmMember01', 'wmMember02']);

    const declared = request(`<!DOCTYPE x [<!ENTITY e "y">]>${groupMembersChangedXml(VECTOR.corpId, 'wrChat001', ['wmMember01'])}`);
    expect(rejection(() => openCallback(secrets, declared.query, declared.body, NOW))).toEqual({ status: 400, code: 'doctype' });
  });

  it('rejects a bad signature, a foreign receive id and stale or future timestamps with 401', () => {
    const sig = request(KF_EVENT, { sig: 'a'.repeat(40) });
    expect(rejection(() => openCallback(secrets, sig.query, sig.body, NOW))).toEqual({ status: 401, code: 'signature' });
    const foreign = request(KF_EVENT, { receiveId: 'wwEvilCorp' });
    expect(rejection(() => openCallback(secrets, foreign.query, foreign.body, NOW))).toEqual({ status: 401, code: 'receive_id' });
    const old = request(KF_EVENT, { ts: NOW - MAX_CLOCK_SKEW_MS - 1000 });
    expect(rejection(() => openCallback(secrets, old.query, old.body, NOW))).toEqual({ status: 401, code: 'timestamp' });
    const ahead = request(KF_EVENT, { ts: NOW + MAX_CLOCK_SKEW_MS + 1000 });
    expect(rejection(() => openCallback(secrets, ahead.query, ahead.body, NOW))).toEqual({ status: 401, code: 'timestamp' });
    const recent = request(KF_EVENT, { ts: NOW - 10_000 });
    expect(rejection(() => openCallback(secrets, recent.query, recent.body, NOW))).toBe('accepted');
  });

  it('rejects malformed outer XML, a missing Encrypt and bad base64 with 400', () => {
    const broken = request(KF_EVENT, { outer: (enc) => `<xml><Encrypt>${enc}</Encrypt>` });
    expect(rejection(() => openCallback(secrets, broken.query, broken.body, NOW))).toEqual({ status: 400, code: 'malformed_xml' });
    const missing = request(KF_EVENT, { outer: () => '<xml><ToUserName>x</ToUserName></xml>' });
    expect(rejection(() => openCallback(secrets, missing.query, missing.body, NOW))).toEqual({ status: 400, code: 'malformed_xml' });
    const twice = request(KF_EVENT, { outer: (enc) => `<xml><Encrypt>${enc}</Encrypt><Encrypt>${enc}</Encrypt></xml>` });
    expect(rejection(() => openCallback(secrets, twice.query, twice.body, NOW))).toEqual({ status: 400, code: 'malformed_xml' });
    const ts = String(NOW / 1000);
    const bad = '%%%notbase64%%%';
    const q = { msg_signature: getSignature(VECTOR.token, ts, '1', bad), timestamp: ts, nonce: '1' };
    expect(rejection(() => openCallback(secrets, q, Buffer.from(`<xml><Encrypt>${bad}</Encrypt></xml>`), NOW))).toEqual({ status: 400, code: 'bad_base64' });
  });

  it('rejects DOCTYPE and entity payloads outside and inside the envelope', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Encrypt>&xxe;</Encrypt></xml>';
    const q = { msg_signature: 'a'.repeat(40), timestamp: String(NOW / 1000), nonce: '1' };
    expect(rejection(() => openCallback(secrets, q, Buffer.from(xxe), NOW))).toEqual({ status: 400, code: 'doctype' });
    const laughs =
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml><Token>&lol2;</Token></xml>';
    const inner = request(laughs);
    expect(rejection(() => openCallback(secrets, inner.query, inner.body, NOW))).toEqual({ status: 400, code: 'doctype' });
    const sneaky = request('<xml><MsgType>event</MsgType><!ENTITY x "y"></xml>');
    expect(rejection(() => openCallback(secrets, sneaky.query, sneaky.body, NOW))).toEqual({ status: 400, code: 'doctype' });
  });
});

describe('parseFlatXml', () => {
  it('keeps leading zeros and long ids as strings and leaves entities unexpanded', () => {
    expect(parseFlatXml('<xml><Content><![CDATA[0012]]></Content><FromUserName>00123</FromUserName><MsgId>4561255354251345929</MsgId></xml>')).toEqual({
      Content: '0012',
      FromUserName: '00123',
      MsgId: '4561255354251345929',
    });
    expect(parseFlatXml('<xml><A>&amp;&#x41;</A></xml>').A).toBe('&amp;&#x41;');
  });

  it('parseCallbackXml: one nested item, and nothing deeper than MAX_DEPTH', () => {
    expect(parseCallbackXml('<xml><MemChangeList><Item>wmOnly</Item></MemChangeList></xml>').lists).toEqual({ 'MemChangeList/Item': ['wmOnly'] });
    const deep = `${'<A>'.repeat(MAX_DEPTH + 1)}x${'</A>'.repeat(MAX_DEPTH + 1)}`;
    expect(() => parseCallbackXml(`<xml>${deep}</xml>`)).toThrow(WecomXmlError);
    expect(parseCallbackXml(`<xml>${'<A>'.repeat(MAX_DEPTH)}x${'</A>'.repeat(MAX_DEPTH)}</xml>`).lists).toEqual({ 'A/A/A/A': ['x'] });
  });

  it('refuses nested elements and a missing <xml> root', () => {
    expect(() => parseFlatXml('<xml><A><B>1</B></A></xml>')).toThrow(WecomXmlError);
    expect(() => parseFlatXml('<root><A>1</A></root>')).toThrow(WecomXmlError);
    expect(() => parseFlatXml('plain text')).toThrow(WecomXmlError);
  });
});
