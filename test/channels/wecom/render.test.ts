/** Pure pieces: text splitting, menu rendering, msgid derivation, magic-byte typing, the window rules. */
import { describe, expect, it } from 'vitest';
import { msgidFor } from '../../../src/channels/wecom/msgid.js';
import { renderReply } from '../../../src/channels/wecom/render.js';
import { sniffMime } from '../../../src/channels/wecom/sniff.js';
import { splitText } from '../../../src/channels/wecom/split-text.js';
import { checkWecomWindow, platformBlock } from '../../../src/channels/wecom/window.js';
import type { Conversation } from '../../../src/store/types.js';

const bytes = (s: string): number => Buffer.byteLength(s);

describe('splitText', () => {
  it('keeps short text whole and cuts long text after sentence ends', () => {
    expect(splitText('你好。', 2048)).toEqual(['你好。']);
    const text = '第一句话。第二句话！第三句话？'.repeat(100);
    const parts = splitText(text, 2048);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(text);
    for (const p of parts) {
      expect(bytes(p)).toBeLessThanOrEqual(2048);
      expect(/[。！？]$/.test(p)).toBe(true);
    }
  });

  it('hard-splits one endless sentence without breaking characters', () => {
    const text = '很'.repeat(2000); // 6000 bytes, no sentence end
    const parts = splitText(text, 2048);
    expect(parts.join('')).toBe(text);
    expect(parts.every((p) => bytes(p) <= 2048)).toBe(true);
  });

  it('splits at line breaks too and drops empty pieces', () => {
    const text = `${'a'.repeat(1500)}\n\n${'b'.repeat(1500)}`;
    expect(splitText(text, 2048)).toEqual(['a'.repeat(1500), 'b'.repeat(1500)]);
  });
});

describe('renderReply', () => {
  it('puts text that does not fit the 1024-byte menu head before the menu', () => {
    const text = '请您确认。'.repeat(100); // 1500 bytes
    const out = renderReply({ text, choices: [{ id: 'yes', label: '是' }] });
    if (!out.ok) throw new Error(out.reason);
    expect(out.parts.map((p) => p.msgtype)).toEqual(['text', 'msgmenu']);
    const menu = out.parts[1];
    if (menu?.msgtype !== 'msgmenu') throw new Error('menu expected');
    expect(bytes(menu.msgmenu.head_content ?? '')).toBeLessThanOrEqual(1024);
  });

  it('refuses what WeCom would refuse: more than 10 choices, oversize ids, empty replies', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ id: `c${i}`, label: `选项${i}` }));
    expect(renderReply({ text: '选', choices: many }).ok).toBe(false);
    expect(renderReply({ text: '选', choices: [{ id: 'x'.repeat(65), label: '太长' }] }).ok).toBe(false);
    expect(renderReply({ text: '  ' }).ok).toBe(false);
  });

  it('truncates long choice labels to 128 bytes', () => {
    const out = renderReply({ text: '选', choices: [{ id: 'a', label: '长'.repeat(100) }] });
    if (!out.ok || out.parts[0]?.msgtype !== 'msgmenu') throw new Error('menu expected');
    const item = out.parts[0].msgmenu.list[0];
    expect(item?.type === 'click' && bytes(item.click.content)).toBeLessThanOrEqual(128);
  });
});

describe('msgidFor', () => {
  it('keeps fitting keys and hashes others deterministically into ≤32 allowed characters', () => {
    expect(msgidFor('bAbc_123-x')).toBe('bAbc_123-x');
    expect(msgidFor('bAbc', 2)).toBe('bAbc_2');
    const hashed = msgidFor('reply:conv:42:0');
    expect(hashed).toMatch(/^[0-9A-Za-z_-]{1,32}$/);
    expect(msgidFor('reply:conv:42:0')).toBe(hashed);
    expect(msgidFor('x'.repeat(40))).toHaveLength(32);
  });
});

describe('sniffMime', () => {
  it('types common evidence from magic bytes', () => {
    expect(sniffMime(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0]))).toBe('image/jpeg');
    expect(sniffMime(Buffer.from('GIF89a....'))).toBe('image/gif');
    expect(sniffMime(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('image/webp');
    expect(sniffMime(Buffer.from('#!AMR\n'))).toBe('audio/amr');
    expect(sniffMime(Buffer.from('\u0002#!SILK_V3'))).toBe('audio/silk');
    expect(sniffMime(Buffer.from('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffMime(Buffer.from('hello'))).toBe('application/octet-stream');
  });
});

describe('window rules', () => {
  const NOW = 1_800_000_000_000;
  const conv = (patch: Partial<Conversation>): Conversation => ({
    id: 'c1',
    channel: 'wecom',
    key: 'wkA:wmB',
    customerId: 'u1',
    mode: 'bot',
    state: {},
    meta: {},
    lastCustomerAt: NOW - 1000,
    repliesSinceCustomer: 0,
    version: 1,
    createdAt: '',
    updatedAt: '',
    ...patch,
  });

  it('blocks sends while the session is with the pool or a servicer, and after it ended until the customer writes', () => {
    expect(platformBlock(conv({ meta: { wecomState: 'pool', wecomStateAt: NOW - 500 } }))).not.toBeNull();
    expect(platformBlock(conv({ meta: { wecomState: 'ended', wecomStateAt: NOW - 500 } }))).not.toBeNull();
    expect(platformBlock(conv({ meta: { wecomState: 'ended', wecomStateAt: NOW - 5000 } }))).toBeNull();
    expect(checkWecomWindow(conv({ meta: { wecomState: 'servicer', wecomStateAt: NOW - 500 } }), NOW, { proactive: true }).ok).toBe(false);
  });

  it('allows the welcome reply before any customer message only while its code is fresh', () => {
    const c = conv({ lastCustomerAt: null, meta: { wecomWelcomeCode: 'W1', wecomWelcomeExpiresAt: NOW + 5000 } });
    expect(checkWecomWindow(c, NOW).ok).toBe(true);
    expect(checkWecomWindow(c, NOW + 6000).ok).toBe(false);
    expect(checkWecomWindow(c, NOW, { proactive: true }).ok).toBe(false);
  });
});
