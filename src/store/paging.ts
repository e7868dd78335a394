/** Limits and the opaque case cursor, shared by both adapters so pages look the same whatever the store. */
import { badRequest } from '../core/errors.js';

export const CASE_PAGE_DEFAULT = 50;
export const CASE_PAGE_MAX = 200;
export const LIST_DEFAULT = 100;
export const LIST_MAX = 1000;

/** A whole number between 1 and `max`; `fallback` when missing or not a number. */
export function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(max, Math.max(1, Math.floor(limit)));
}

/** Position after the last case of a page, in the (createdAt desc, id desc) order. */
export interface CaseCursor {
  createdAt: string;
  id: string;
}

export function encodeCaseCursor(c: CaseCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id]), 'utf8').toString('base64url');
}

export function decodeCaseCursor(cursor: string): CaseCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === 'string' &&
    typeof parsed[1] === 'string'
  ) {
    return { createdAt: parsed[0], id: parsed[1] };
  }
  throw badRequest('invalid_cursor', 'The page cursor is not valid.');
}
