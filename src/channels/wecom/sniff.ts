/**
 * Media typing from the bytes themselves (the platform's msgtype says what the customer meant to send, not
 * what the file is), and the per-kind size caps of incoming kf media (WeCom 微信客服 docs: image 2 MB, voice 2 MB,
 * video 10 MB, file 20 MB; larger files arrive as a text notice instead).
 */
import type { EvidenceKind } from '../../core/types.js';

const MB = 1024 * 1024;
export const MEDIA_CAPS: Readonly<Record<EvidenceKind, number>> = {
  image: 2 * MB,
  voice: 2 * MB,
  video: 10 * MB,
  file: 20 * MB,
};

const ascii = (b: Buffer, start: number, text: string): boolean =>
  b.length >= start + text.length && b.toString('latin1', start, start + text.length) === text;

const bytes = (b: Buffer, sig: number[]): boolean => sig.every((v, i) => b[i] === v);

/** MIME type from magic bytes; `application/octet-stream` when nothing matches. */
export function sniffMime(b: Buffer): string {
  if (bytes(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (bytes(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'image/gif';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'image/webp';
  if (ascii(b, 0, 'BM') && b.length > 14) return 'image/bmp';
  if (ascii(b, 4, 'ftyp')) return ascii(b, 8, 'qt  ') ? 'video/quicktime' : 'video/mp4';
  if (ascii(b, 0, '#!AMR')) return 'audio/amr';
  // WeChat voice is SILK v3, sometimes behind a 0x02 byte.
  if (ascii(b, 0, '#!SILK_V3') || ascii(b, 1, '#!SILK_V3')) return 'audio/silk';
  if (ascii(b, 0, 'ID3') || bytes(b, [0xff, 0xfb])) return 'audio/mpeg';
  if (ascii(b, 0, '%PDF-')) return 'application/pdf';
  if (bytes(b, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  return 'application/octet-stream';
}
