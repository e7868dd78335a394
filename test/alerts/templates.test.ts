/** templates/zh-CN/alerts.json: every text renders with the variables the code passes, and the code uses every key. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplates, renderTemplate } from '../../templates/render.js';
import { projectRoot } from '../../src/paths.js';

const file = path.join(projectRoot, 'templates/zh-CN/alerts.json');
const keys = Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
const book = loadTemplates();
const vars = { count: 3, color: 'warning', level: '紧急', title: 't', text: 'x', time: '11/23 12:00', caseRef: '', caseId: 'abcd1234', groupName: '老客福利群', category: '质量问题', member: 'memb***', excerpt: '发错货了', code: 'bot_error:TypeError', minutes: 10, channel: 'web' };
const source = ['src/alerts', 'src/radar', 'src/handoff']
  .flatMap((dir) => fs.readdirSync(path.join(projectRoot, dir)).map((f) => fs.readFileSync(path.join(projectRoot, dir, f), 'utf8')))
  .join('\n');

describe('alert and radar templates', () => {
  it.each(keys)('%s renders every variable and is used by the code', (key) => {
    for (let seed = 0; seed < (book[key]?.length ?? 0); seed++) {
      const text = renderTemplate(book, key, vars, { seed });
      expect(text.trim().length).toBeGreaterThan(0);
      expect(text).not.toMatch(/\{\w+\}/);
    }
    // Keys built at run time: alerts.level.<level>, alerts.<robot|app>.<header|item>.
    const dynamic = /^alerts\.level\./.test(key) || /^alerts\.(robot|app)\.(header|item)$/.test(key);
    expect(dynamic || source.includes(`'${key}'`)).toBe(true);
  });

  it('group replies promise a private follow-up', () => {
    for (const key of ['radar.group.reply', 'radar.group.risk_reply']) {
      for (const v of book[key] ?? []) expect(v).toMatch(/私信/);
    }
  });
});
