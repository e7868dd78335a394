/**
 * OutboundReply → kf message bodies: text over 2048 bytes is split at sentence ends into several texts;
 * choices become one msgmenu (head ≤1024 B, ≤10 click items with id 1-64 B and content 1-128 B).
 */
import type { OutboundReply } from '../../core/types.js';
import type { MenuItem, SendBody } from './api-types.js';
import { splitText } from './split-text.js';

export const TEXT_MAX_BYTES = 2048;
export const MENU_HEAD_MAX_BYTES = 1024;
export const MENU_MAX_ITEMS = 10;
const CLICK_ID_MAX_BYTES = 64;
const CLICK_CONTENT_MAX_BYTES = 128;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function truncate(text: string, maxBytes: number): string {
  let out = '';
  for (const ch of text) {
    if (bytes(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}

export type Rendered = { ok: true; parts: SendBody[] } | { ok: false; reason: string };

export function renderReply(reply: OutboundReply): Rendered {
  const choices = reply.choices ?? [];
  const text = reply.text.trim();
  if (choices.length === 0) {
    const full = [text, reply.tail?.trim() ?? ''].filter((p) => p.length > 0).join('\n');
    if (!full) return { ok: false, reason: 'empty reply' };
    return { ok: true, parts: splitText(full, TEXT_MAX_BYTES).map((content) => ({ msgtype: 'text', text: { content } })) };
  }
  if (choices.length > MENU_MAX_ITEMS) return { ok: false, reason: `WeCom menus hold at most ${MENU_MAX_ITEMS} choices` };
  const list: MenuItem[] = [];
  for (const c of choices) {
    const id = c.id;
    if (bytes(id) < 1 || bytes(id) > CLICK_ID_MAX_BYTES) return { ok: false, reason: 'choice id must be 1-64 bytes' };
    const content = truncate(c.label.trim(), CLICK_CONTENT_MAX_BYTES);
    if (!content) return { ok: false, reason: 'choice label is empty' };
    list.push({ type: 'click', click: { id, content } });
  }
  // Text before the menu goes out as plain texts when it does not fit the menu head.
  const pieces = text ? splitText(text, TEXT_MAX_BYTES) : [];
  let head = pieces.pop() ?? '';
  if (bytes(head) > MENU_HEAD_MAX_BYTES) {
    const sub = splitText(head, MENU_HEAD_MAX_BYTES);
    head = sub.pop() ?? '';
    pieces.push(...sub);
  }
  const tail = reply.tail?.trim() ? truncate(reply.tail.trim(), MENU_HEAD_MAX_BYTES) : '';
  const parts: SendBody[] = pieces.map((content) => ({ msgtype: 'text', text: { content } }));
  parts.push({
    msgtype: 'msgmenu',
    msgmenu: { ...(head ? { head_content: head } : {}), list, ...(tail ? { tail_content: tail } : {}) },
  });
  return { ok: true, parts };
}
