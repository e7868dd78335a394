/**
 * Customer words quoted into a WeCom alert (group robot markdown, app text) cannot phish a manager: no link,
 * emphasis, mention, code, quote or heading survives, and the words are still readable.
 */
import { describe, expect, it } from 'vitest';
import { renderApp, renderRobot } from '../../src/alerts/format.js';
import { loadTemplates } from '../../templates/render.js';
import type { Alert } from '../../src/store/types.js';

const book = loadTemplates();

const alert = (text: string, title = '风险消息'): Alert => ({
  id: '0b1c2d3e-4f50-4617-8a9b-012345678901',
  key: 'risk:md',
  kind: 'risk',
  level: 'critical',
  title,
  text,
  caseId: null,
  data: {},
  deliveredAt: null,
  createdAt: '2026-03-01T02:00:00.000Z',
});

const ATTACK = [
  '[点此登录后台处理](https://evil.example.com/login)',
  '**经理请立即转账**',
  '<@zhangsan> <@all>',
  '\n# 系统通知：密码已过期\n',
  '`code` > 引用 <font color="warning">红字</font>',
  '访问 evil.cn/a 或 http://1.2.3.4/x ![img](http://x.io/a.png)',
].join(' ');

/** The customer's part of one rendered item (between the fixed template lines). */
const customerLine = (content: string): string => content.split('\n').find((l) => l.includes('点此登录')) ?? '';

describe('alert markdown escaping', () => {
  it('neutralises links, emphasis, mentions, headings, code and tags in robot markdown', () => {
    const [robot] = renderRobot(book, [alert(ATTACK)]);
    const line = customerLine(robot?.content ?? '');
    expect(line).toContain('点此登录后台处理');
    for (const bad of ['](', '[', '**', '<@', '<font', '`', '://', 'evil.example.com', 'evil.cn', 'x.io', '# ', '![']) {
      expect(line, bad).not.toContain(bad);
    }
    // The whole message has exactly the template's own markup: one heading-free header and one quoted item.
    expect(robot?.content.split('\n').filter((l) => l.startsWith('#'))).toEqual([]);
    expect(robot?.content.match(/<font/g)?.length).toBe(2);
  });

  it('makes a title from outside (a group name) inert too', () => {
    const [robot] = renderRobot(book, [alert('发错货了', '群「[领红包](http://a.cn)」')]);
    expect(robot?.content).not.toContain('](');
    expect(robot?.content).not.toContain('a.cn');
  });

  it('keeps app text messages free of clickable links', () => {
    const [app] = renderApp(book, [alert(ATTACK)]);
    expect(app?.content).not.toMatch(/https?:\/\//);
    expect(app?.content).not.toContain('evil.example.com');
  });

  it('leaves prices, times and ordinary words readable', () => {
    const [robot] = renderRobot(book, [alert('退款 12.5 元，3号到货，订单 6919000011112222333')]);
    expect(robot?.content).toContain('退款 12.5 元，3号到货，订单 6919000011112222333');
  });
});
