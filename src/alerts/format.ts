/**
 * Renders stored alerts into WeCom messages: a markdown message for the group robot (≤4096 bytes) and a text
 * app message (≤2048 bytes), several alerts per message so the 20-per-minute robot limit goes further.
 * Alert text is already masked; here it is only made inert for markdown (no links, emphasis, mentions,
 * headings or tags) and cut.
 */
import { renderTemplate, type TemplateBook } from '../../templates/render.js';
import type { Alert, AlertLevel } from '../store/types.js';

export const ROBOT_MARKDOWN_MAX = 4096;
export const APP_TEXT_MAX = 2048;
/** One alert never takes more than this much of a message; the console has the full text. */
const ITEM_TEXT_MAX = 900;
const TITLE_MAX = 200;

export const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Cuts to at most `max` UTF-8 bytes on a character boundary, with an ellipsis when cut. */
export function cutBytes(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  let out = '';
  let size = 0;
  for (const ch of text) {
    const n = bytes(ch);
    if (size + n > max - 3) break;
    out += ch;
    size += n;
  }
  return `${out}…`;
}

/**
 * WeCom markdown (https://developer.work.weixin.qq.com/document/path/91770, "markdown类型") renders headings
 * (#), bold (**), links [text](url), inline code, quotes (>), <font> tags and <@userid> mentions, and the
 * clients turn bare URLs and domains into links. Customer words quoted into an alert are made inert: markup
 * characters become their full-width look-alikes, and the dot of a domain or the colon of a URL scheme
 * becomes full-width, so nothing in the text can link, mention, emphasise or pose as a heading.
 */
const MARKUP: Record<string, string> = {
  '<': '＜', '>': '＞', '[': '［', ']': '］', '(': '（', ')': '）', '*': '＊', _: '＿', '`': '｀', '#': '＃', '~': '～', '@': '＠', '|': '｜', '\\': '＼', '!': '！', '=': '＝',
};
const MARKUP_CHARS = /[<>[\]()*_`#~@|\\!=]/g;
/** A dot between a name and something that looks like a top-level domain ("evil.com", "t.cn/x"). */
const DOMAIN_DOT = /(?<=[A-Za-z0-9-])\.(?=[A-Za-z][A-Za-z0-9-]*)/g;
const SCHEME = /([A-Za-z][A-Za-z0-9+.-]*):(?=\/\/)/g;

/** Customer text made inert for WeCom markdown and text messages, on one line. */
export function inert(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .split('')
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .replace(SCHEME, '$1：')
    .replace(DOMAIN_DOT, '．')
    .replace(MARKUP_CHARS, (c) => MARKUP[c] ?? c)
    .trim();
}

const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

function vars(t: TemplateBook, a: Alert): Record<string, string> {
  const level = renderTemplate(t, `alerts.level.${a.level}` as `alerts.level.${AlertLevel}`);
  return {
    level,
    color: a.level === 'critical' ? 'warning' : a.level === 'warning' ? 'info' : 'comment',
    title: cutBytes(inert(a.title), TITLE_MAX),
    text: cutBytes(inert(a.text), ITEM_TEXT_MAX),
    time: TIME.format(new Date(a.createdAt)),
    caseRef: a.caseId ? renderTemplate(t, 'alerts.case_ref', { caseId: a.caseId.slice(0, 8) }) : '',
  };
}

export interface Rendered {
  content: string;
  alertIds: string[];
}

/** Packs alerts, oldest first, into as few messages as fit `max` bytes each. */
function pack(t: TemplateBook, alerts: Alert[], kind: 'robot' | 'app', max: number): Rendered[] {
  const header = (count: number): string => renderTemplate(t, `alerts.${kind}.header`, { count });
  const item = (a: Alert): string => renderTemplate(t, `alerts.${kind}.item`, vars(t, a));
  const out: Rendered[] = [];
  let items: string[] = [];
  let ids: string[] = [];
  const flush = (): void => {
    if (items.length === 0) return;
    out.push({ content: [header(items.length), ...items].join('\n\n'), alertIds: ids });
    items = [];
    ids = [];
  };
  for (const a of alerts) {
    const one = item(a);
    if (items.length > 0 && bytes([header(items.length + 1), ...items, one].join('\n\n')) > max) flush();
    items.push(one);
    ids.push(a.id);
  }
  flush();
  // An item is capped well below `max`, so only a pathological template could overflow: cut rather than fail.
  return out.map((r) => ({ ...r, content: cutBytes(r.content, max) }));
}

export const renderRobot = (book: TemplateBook, alerts: Alert[]): Rendered[] => pack(book, alerts, 'robot', ROBOT_MARKDOWN_MAX);
export const renderApp = (book: TemplateBook, alerts: Alert[]): Rendered[] => pack(book, alerts, 'app', APP_TEXT_MAX);
