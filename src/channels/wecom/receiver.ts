/**
 * Verifies and opens WeCom callbacks (WeCom 加解密方案, developer.work.weixin.qq.com/document/path/90968). Pure: takes the raw query and body, the config and
 * the current time, and returns the decrypted fields or throws an AppError whose code is the rejection reason
 * counted in /metrics (signature, timestamp, receive_id, bad_base64, bad_padding, doctype, malformed_xml).
 */
import { AppError } from '../../core/errors.js';
import { decryptPayload, verifySignature, WecomCryptoError } from './crypto.js';
import { parseCallbackXml, parseFlatXml, WecomXmlError, type CallbackXml } from './xml.js';

export interface CallbackSecrets {
  corpId: string;
  token: string;
  encodingAesKey: string;
}

export type CallbackQuery = Record<string, string | string[] | undefined>;

/** Replays older or newer than this are refused; WeCom documents no window, Stripe's default is used. */
export const MAX_CLOCK_SKEW_MS = 300_000;

const STATUS: Record<string, number> = {
  signature: 401,
  timestamp: 401,
  receive_id: 401,
  bad_base64: 400,
  bad_padding: 400,
  doctype: 400,
  malformed_xml: 400,
  malformed_json: 400,
};

/** A coded rejection of a callback: 401 for signature/time/receiver problems, 400 for broken payloads. */
export function reject(reason: string, message: string): AppError {
  return new AppError(reason, message, { status: STATUS[reason] ?? 400, expose: true });
}

export function one(query: CallbackQuery, name: string): string {
  const v = query[name];
  return typeof v === 'string' ? v : '';
}

function open(secrets: CallbackSecrets, encrypted: string): string {
  try {
    return decryptPayload(secrets.encodingAesKey, encrypted, secrets.corpId);
  } catch (err) {
    if (err instanceof WecomCryptoError) throw reject(err.reason, err.message);
    throw err;
  }
}

function parse<T>(parseXml: (text: string) => T, text: string): T {
  try {
    return parseXml(text);
  } catch (err) {
    if (err instanceof WecomXmlError) throw reject(err.reason, err.message);
    throw err;
  }
}

function checkSignature(secrets: CallbackSecrets, query: CallbackQuery, encrypt: string): void {
  const ok = verifySignature({
    token: secrets.token,
    timestamp: one(query, 'timestamp'),
    nonce: one(query, 'nonce'),
    encrypt,
    signature: one(query, 'msg_signature'),
  });
  if (!ok) throw reject('signature', 'signature mismatch');
}

/** GET URL verification: returns the plaintext echostr to answer with. */
export function openEcho(secrets: CallbackSecrets, query: CallbackQuery): string {
  const echostr = one(query, 'echostr');
  checkSignature(secrets, query, echostr);
  return open(secrets, echostr);
}

/** The outer envelope's Encrypt element: the signed and encrypted payload. */
function encryptOf(body: Buffer): string {
  const encrypt = parse(parseFlatXml, body.toString('utf8')).Encrypt;
  if (!encrypt) throw reject('malformed_xml', 'Encrypt element missing');
  return encrypt;
}

/** POST callback, first half: the signature and time window over the envelope. Throws the coded rejection. */
export function verifyCallback(secrets: CallbackSecrets, query: CallbackQuery, body: Buffer, now: number): void {
  checkEnvelope(secrets, query, encryptOf(body), now);
}

/**
 * POST callback, second half (after verifyCallback): the decrypted XML: single top-level fields (ToUserName,
 * MsgType, Event, Token, OpenKfId...) and every value by path, for callbacks that repeat or nest elements.
 */
export function decryptCallback(secrets: CallbackSecrets, body: Buffer): CallbackXml {
  return parse(parseCallbackXml, open(secrets, encryptOf(body)));
}

/** Both halves at once. */
export function openCallback(secrets: CallbackSecrets, query: CallbackQuery, body: Buffer, now: number): CallbackXml {
  verifyCallback(secrets, query, body, now);
  return decryptCallback(secrets, body);
}

/**
 * The shared core of both callback variants (XML for apps and 微信客服, JSON for the 智能机器人): checks the
 * signature, then the time window, then decrypts with the expected receive id. Returns the plaintext.
 */
export function openEnvelope(secrets: CallbackSecrets, query: CallbackQuery, encrypt: string, now: number): string {
  checkEnvelope(secrets, query, encrypt, now);
  return open(secrets, encrypt);
}

function checkEnvelope(secrets: CallbackSecrets, query: CallbackQuery, encrypt: string, now: number): void {
  checkSignature(secrets, query, encrypt);
  // After the signature, so 'timestamp' counts genuine WeCom envelopes replayed late, not random noise.
  const ts = one(query, 'timestamp');
  if (!/^\d{1,12}$/.test(ts) || Math.abs(now - Number(ts) * 1000) > MAX_CLOCK_SKEW_MS) {
    throw reject('timestamp', 'timestamp outside the accepted window');
  }
}
