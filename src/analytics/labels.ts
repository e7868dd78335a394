/**
 * Chinese names for what the dashboard shows: category names come from the reply book (`label.category.*`, the
 * words customers already see), everything staff-facing from templates/console/dashboard.zh-CN.json.
 */
import path from 'node:path';
import type { CaseCategory, Channel } from '../core/types.js';
import { projectRoot } from '../paths.js';
import { fill, loadTemplates, type TemplateBook, type TemplateVars } from '../../templates/render.js';
import type { StatsDimension } from '../store/types.js';

export interface Labels {
  text(key: string, vars?: TemplateVars): string;
  category(c: CaseCategory | null | undefined): string;
  channel(c: Channel | null | undefined): string;
  dimension(d: StatsDimension): string;
  /** A dimension value as shown: the category or channel name, or the product / carrier as written. */
  value(d: StatsDimension, v: string | number | null | undefined): string;
}

let cached: Labels | null = null;

export function loadLabels(): Labels {
  cached ??= makeLabels(loadTemplates(), loadTemplates(path.join(projectRoot, 'templates/console/dashboard.zh-CN.json')));
  return cached;
}

export function makeLabels(replies: TemplateBook, staff: TemplateBook): Labels {
  const text = (key: string, vars: TemplateVars = {}): string => {
    const t = staff[key]?.[0];
    if (t === undefined) throw new Error(`dashboard text "${key}" is missing from templates/console/dashboard.zh-CN.json`);
    return fill(t, vars);
  };
  const none = (): string => text('value.none');
  const category = (c: CaseCategory | null | undefined): string => (c ? (replies[`label.category.${c}`]?.[0] ?? c) : none());
  const channel = (c: Channel | null | undefined): string => (c ? (staff[`channel.${c}`]?.[0] ?? c) : none());
  return {
    text,
    category,
    channel,
    dimension: (d) => text(`dimension.${d}`),
    value(d, v) {
      if (v === null || v === undefined || v === '') return none();
      if (d === 'category') return category(v as CaseCategory);
      if (d === 'channel') return channel(v as Channel);
      return String(v);
    },
  };
}
