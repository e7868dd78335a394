/**
 * Mainland resident ID numbers (GB 11643-1999): 6-digit region code, 8-digit birth date, 3-digit
 * sequence and an ISO 7064 MOD 11-2 check character (0–9 or X). An 18-digit ID has the length of an
 * order id, so entity extraction must recognise it and leave it alone: it is neither an order nor
 * something we want to echo back.
 */

// Weights 2^(17-i) mod 11 for positions 0..16, and the check character for each remainder.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';
const SHAPE = /^[1-9]\d{5}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/;

/** True for a birth date that exists and lies between 1900-01-01 and today. */
function validBirthDate(year: number, month: number, day: number, today: Date): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return date.getTime() <= today.getTime();
}

/** `text` is 18 characters: 17 digits and a check digit or X (either case). */
export function isIdCardNumber(text: string, today = new Date()): boolean {
  const id = text.toUpperCase();
  const m = SHAPE.exec(id);
  if (!m) return false;
  if (!validBirthDate(Number(m[1]), Number(m[2]), Number(m[3]), today)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (WEIGHTS[i] ?? 0);
  return CHECK[sum % 11] === id[17];
}
