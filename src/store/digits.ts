/**
 * `findConversationsByDigits`: what both adapters accept and how a number may be written in a message. A phone
 * number is typed as 13812345678, 138 1234 5678, 138-1234-5678 or with +86; the search ignores those separators.
 */
import { badRequest } from '../core/errors.js';
import { CASE_PAGE_MAX, clampLimit } from './paging.js';

const DIGITS = /^\d{5,20}$/;
/** Spaces (ASCII and the full-width one IMEs type) and dashes that may sit between the digits. */
export const DIGIT_SEPARATORS = [' ', '-', '\u3000', '\u2014'] as const;
export const DIGIT_SEARCH_DEFAULT = 20;

export function digitQuery(digits: string, limit: number | undefined): { digits: string; limit: number } {
  if (!DIGITS.test(digits)) throw badRequest('invalid_digits', 'search digits must be 5 to 20 digits and nothing else');
  return { digits, limit: clampLimit(limit, DIGIT_SEARCH_DEFAULT, CASE_PAGE_MAX) };
}
