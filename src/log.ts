/**
 * JSON logs (pino) with personal data removed before it is written: message text, user ids, phones,
 * addresses, signatures and tokens. Call sites log ids through maskId() and never log decrypted payloads.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'text',
  'content',
  'message.text',
  'msg.text',
  '*.text',
  '*.content',
  'phone',
  '*.phone',
  'address',
  '*.address',
  'nickname',
  '*.nickname',
  'customerId',
  '*.customerId',
  'userId',
  'openId',
  'externalUserId',
  '*.external_userid',
  '*.open_id',
  'token',
  '*.token',
  'accessToken',
  '*.access_token',
  'access_token',
  'secret',
  'password',
  'signature',
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

export function createLogger(opts: { level: string; name?: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      name: opts.name ?? 'aftersales',
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}
