/**
 * Reply texts are data: `templates/zh-CN.json` maps a key to one or more variants with `{name}` variables.
 * Operators edit the JSON; code only names keys. `pickVariant` avoids repeating the previous sentence.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type TemplateVars = Record<string, string | number | null | undefined>;
export type TemplateBook = Record<string, string[]>;

const here = path.dirname(fileURLToPath(import.meta.url));
/** The JSON sits beside this file in the source tree; the compiled build (dist/templates) reads it from the source folder. */
const DEFAULT_FILE = [path.join(here, 'zh-CN.json'), path.join(here, '../../templates/zh-CN.json')].find((p) =>
  fs.existsSync(p),
);

/**
 * The book: `zh-CN.json` plus every `zh-CN/*.json` beside it (one file per feature: handoff, surveys, alerts…),
 * so operators find a feature's texts together. A key defined twice is an error, never a silent override.
 */
export function loadTemplates(file = DEFAULT_FILE): TemplateBook {
  if (!file) throw new Error('templates/zh-CN.json not found');
  const book: TemplateBook = {};
  const extraDir = file.replace(/\.json$/, '');
  const extras = fs.existsSync(extraDir)
    ? fs.readdirSync(extraDir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(extraDir, f))
    : [];
  for (const source of [file, ...extras]) readInto(book, source);
  return book;
}

function readInto(book: TemplateBook, file: string): void {
  const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file}: expected an object`);
  for (const [key, value] of Object.entries(raw)) {
    const variants = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(variants) || variants.length === 0 || !variants.every((v) => typeof v === 'string')) {
      throw new Error(`${file}: "${key}" must be a text or a non-empty list of texts`);
    }
    if (book[key]) throw new Error(`${file}: "${key}" is already defined in another template file`);
    book[key] = variants as string[];
  }
}

export function fill(text: string, vars: TemplateVars): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = vars[name];
    return v === undefined || v === null ? m : String(v);
  });
}

/**
 * Picks a variant of `key`, different from `previous` when there is a choice, and fills its variables.
 * `seed` makes the choice deterministic (tests, retries of the same message give the same text).
 */
export function renderTemplate(
  book: TemplateBook,
  key: string,
  vars: TemplateVars = {},
  opts: { previous?: string | null; seed?: number } = {},
): string {
  const variants = book[key];
  if (!variants) throw new Error(`unknown template "${key}"`);
  const filled = variants.map((v) => fill(v, vars));
  const candidates = filled.length > 1 && opts.previous ? filled.filter((t) => t !== opts.previous) : filled;
  const index = Math.abs(opts.seed ?? 0) % candidates.length;
  return candidates[index] as string;
}
