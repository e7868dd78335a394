/**
 * WeCom callback crypto (WeCom 加解密方案, developer.work.weixin.qq.com/document/path/90968): sorted-sha1 signature and AES-256-CBC payloads.
 * @wecom/crypto does the AES work; this module adds what it leaves to callers: constant-time signature
 * comparison, strict base64 and PKCS#7 checks (the library returns badly padded data unstripped) and the
 * receive id check.
 */
import { createDecipheriv } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';
import { verifyHexSignature } from '../../core/signature.js';

export type CryptoFailure = 'signature' | 'bad_base64' | 'bad_padding' | 'receive_id';

export class WecomCryptoError extends Error {
  readonly reason: CryptoFailure;
  constructor(reason: CryptoFailure, message: string) {
    super(message);
    this.name = 'WecomCryptoError';
    this.reason = reason;
  }
}

const SIGNATURE = /^[0-9a-f]{40}$/i;
// Standard alphabet with padding only at the end; WeCom never sends URL-safe base64.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** random(16) + length(4) rounds up to one 32-byte block at least; ciphertext is whole AES blocks. */
const MIN_CIPHERTEXT = 32;

/** True when `signature` equals sha1(sort(token, timestamp, nonce, encrypt)). Never throws. */
export function verifySignature(input: {
  token: string;
  timestamp: string;
  nonce: string;
  encrypt: string;
  signature: string;
}): boolean {
  if (!SIGNATURE.test(input.signature)) return false;
  return verifyHexSignature(getSignature(input.token, input.timestamp, input.nonce, input.encrypt), input.signature);
}

export function sign(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return getSignature(token, timestamp, nonce, encrypt);
}

function aesKey(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new Error('invalid EncodingAESKey');
  return key;
}

/**
 * Checks the PKCS#7 padding (pad byte 1..32, all pad bytes equal) by deciphering only the last two blocks:
 * in CBC the previous ciphertext block is the IV of the next one, so the tail decrypts on its own.
 */
function checkPadding(key: Buffer, cipher: Buffer): boolean {
  const tailStart = cipher.length - 32;
  const iv = tailStart === 0 ? key.subarray(0, 16) : cipher.subarray(tailStart - 16, tailStart);
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  decipher.setAutoPadding(false);
  const tail = Buffer.concat([decipher.update(cipher.subarray(tailStart)), decipher.final()]);
  const pad = tail[tail.length - 1] ?? 0;
  if (pad < 1 || pad > 32) return false;
  for (let i = tail.length - pad; i < tail.length; i++) if (tail[i] !== pad) return false;
  return true;
}

/**
 * Decrypts a callback payload (Encrypt or echostr) and requires its receive id to equal `receiveId`
 * (the corp id for kf callbacks). Throws WecomCryptoError with the reason a metric can count.
 */
export function decryptPayload(encodingAesKey: string, encrypted: string, receiveId: string): string {
  if (encrypted.length === 0 || !BASE64.test(encrypted)) {
    throw new WecomCryptoError('bad_base64', 'payload is not base64');
  }
  const cipher = Buffer.from(encrypted, 'base64');
  if (cipher.length < MIN_CIPHERTEXT || cipher.length % 16 !== 0) {
    throw new WecomCryptoError('bad_base64', 'payload is not whole AES blocks');
  }
  const key = aesKey(encodingAesKey);
  if (!checkPadding(key, cipher)) throw new WecomCryptoError('bad_padding', 'bad PKCS#7 padding');
  let out: { message: string; id: string };
  try {
    out = decrypt(encodingAesKey, encrypted);
  } catch {
    throw new WecomCryptoError('bad_padding', 'payload does not decrypt');
  }
  // A length field pointing past the data leaves the id empty or garbled: same outcome as a foreign corp.
  if (out.id !== receiveId) throw new WecomCryptoError('receive_id', 'receive id does not match');
  return out.message;
}
