/**
 * The WeCom 智能机器人 callback envelope (WeCom 智能机器人 JSON callbacks, same 加解密方案 as document/path/90968): same signature and AES scheme as the
 * XML callbacks, but receive id "" and JSON bodies — `{"encrypt":"…"}` in, and a passive reply
 * `{"encrypt","msgsignature","timestamp","nonce"}` out (timestamp as a string, as the official
 * WXBizJsonMsgCrypt template writes it). Pure: query, body and time in; fields or an AppError out.
 */
import { randomBytes } from 'node:crypto';
import { encrypt } from '@wecom/crypto';
import { sign } from '../channels/wecom/crypto.js';
import { openEcho, openEnvelope, reject, type CallbackQuery } from '../channels/wecom/receiver.js';

export interface BotSecrets {
  token: string;
  encodingAesKey: string;
}

/** The 智能机器人 encrypts with an empty receive id (not the corp id). */
export const BOT_RECEIVE_ID = '';

function parseObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw reject('malformed_json', `${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw reject('malformed_json', `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** GET URL verification: the plaintext echostr to answer with. */
export function openBotEcho(secrets: BotSecrets, query: CallbackQuery): string {
  return openEcho({ corpId: BOT_RECEIVE_ID, token: secrets.token, encodingAesKey: secrets.encodingAesKey }, query);
}

/** POST callback: verifies signature and time window, decrypts, and returns the message object. */
export function openBotCallback(secrets: BotSecrets, query: CallbackQuery, body: Buffer, now: number): Record<string, unknown> {
  const outer = parseObject(body.toString('utf8'), 'body');
  const encrypted = outer.encrypt;
  if (typeof encrypted !== 'string' || encrypted.length === 0) throw reject('malformed_json', 'encrypt field missing');
  const plaintext = openEnvelope({ corpId: BOT_RECEIVE_ID, token: secrets.token, encodingAesKey: secrets.encodingAesKey }, query, encrypted, now);
  return parseObject(plaintext, 'decrypted message');
}

export interface SealedReply {
  encrypt: string;
  msgsignature: string;
  timestamp: string;
  nonce: string;
}

/** Encrypts and signs a passive reply (a JSON text) for the 智能机器人. */
export function sealBotReply(secrets: BotSecrets, plaintext: string, now: number, nonce = String(randomBytes(4).readUInt32BE(0))): SealedReply {
  const encrypted = encrypt(secrets.encodingAesKey, plaintext, BOT_RECEIVE_ID);
  const timestamp = String(Math.floor(now / 1000));
  return { encrypt: encrypted, msgsignature: sign(secrets.token, timestamp, nonce, encrypted), timestamp, nonce };
}
