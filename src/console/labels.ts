/**
 * The words the console shows for stored codes that the bot also uses (categories, resolutions, member levels,
 * execution steps),
 * from the same templates, so an agent never reads `quality` or `vip` and both speak alike.
 */
import { STEP_KINDS } from '../cases/steps.js';
import { CASE_CATEGORIES, RESOLUTIONS } from '../core/types.js';
import type { TemplateBook } from '../../templates/render.js';
import type { Services } from '../services.js';
import { memberLevels } from './customers.js';

export interface ConsoleLabels {
  category: Record<string, string>;
  resolution: Record<string, string>;
  member: Record<string, string>;
  /** Execution step kinds (src/cases/steps.ts). */
  step: Record<string, string>;
}

function labelled(book: TemplateBook, prefix: string, codes: readonly string[]): Record<string, string> {
  return Object.fromEntries(codes.map((code) => [code, book[`label.${prefix}.${code}`]?.[0] ?? code]));
}

export function consoleLabels(s: Pick<Services, 'data'>): ConsoleLabels {
  const book = s.data.templates;
  return {
    category: labelled(book, 'category', CASE_CATEGORIES),
    resolution: labelled(book, 'resolution', RESOLUTIONS),
    member: labelled(book, 'member', memberLevels(s)),
    step: labelled(book, 'step', STEP_KINDS),
  };
}
