/**
 * Canned replies for agents: `canned.<name>.title` / `canned.<name>.text` pairs in templates/zh-CN/canned.json,
 * in file order. Variables such as {agentName}, {shopName}, {caseRef} and {orderId} are filled by the console.
 */
import type { TemplateBook } from '../../templates/render.js';

export interface CannedReply {
  key: string;
  title: string;
  text: string;
}

export function cannedReplies(book: TemplateBook): CannedReply[] {
  const out: CannedReply[] = [];
  for (const [key, variants] of Object.entries(book)) {
    const m = /^canned\.([\w-]+)\.text$/.exec(key);
    if (!m) continue;
    const name = m[1] as string;
    const text = variants[0] ?? '';
    out.push({ key: name, title: book[`canned.${name}.title`]?.[0] ?? text.slice(0, 12), text });
  }
  return out;
}
