/**
 * Splits text into pieces of at most `maxBytes` UTF-8 bytes (kf text: 2048 B, msgmenu head: 1024 B),
 * cutting after sentence ends (。！？!? and newlines) where possible and only mid-sentence when one sentence
 * is longer than a piece. Never cuts inside a character.
 */
const SENTENCE = /[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*|\n+|$)/gu;

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

function sentences(text: string): string[] {
  return (text.match(SENTENCE) ?? []).filter((s) => s.length > 0);
}

function hardSplit(text: string, maxBytes: number): string[] {
  const out: string[] = [];
  let cur = '';
  let curBytes = 0;
  for (const ch of text) {
    const b = byteLength(ch);
    if (curBytes + b > maxBytes && cur) {
      out.push(cur);
      cur = '';
      curBytes = 0;
    }
    cur += ch;
    curBytes += b;
  }
  if (cur) out.push(cur);
  return out;
}

export function splitText(text: string, maxBytes: number): string[] {
  if (byteLength(text) <= maxBytes) return [text];
  const out: string[] = [];
  let cur = '';
  for (const sentence of sentences(text)) {
    if (byteLength(cur + sentence) <= maxBytes) {
      cur += sentence;
      continue;
    }
    if (cur) out.push(cur);
    if (byteLength(sentence) <= maxBytes) {
      cur = sentence;
    } else {
      const pieces = hardSplit(sentence, maxBytes);
      cur = pieces.pop() ?? '';
      out.push(...pieces);
    }
  }
  if (cur) out.push(cur);
  // Pieces made only of line breaks would be refused as empty texts.
  return out.map((p) => p.replace(/^\n+|\n+$/g, '')).filter((p) => p.length > 0);
}
