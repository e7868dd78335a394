// The dashboard's 改进单 and 直播间话术核查 cards: items with their before/after effect, and the claims shoppers
// quote from the live room, grouped by product. Server text goes in with textContent only.
import { $, el } from './render.js';

export function renderImprovements(items) {
  const list = $('improvements');
  if (items.length === 0) {
    list.replaceChildren(el('li', { class: 'empty', text: '还没有改进单。在“异常上升”或下方表格里点“开改进单”。' }));
    return;
  }
  list.replaceChildren(
    ...items.map((i) =>
      el(
        'li',
        { class: `item ${i.status}${i.overdue ? ' overdue' : ''}`, 'data-id': i.id, 'data-key': i.key },
        el(
          'div',
          { class: 'head' },
          el('span', { class: 'name', text: `${i.dimensionLabel}：${i.name}` }),
          el('span', { class: 'tag', text: i.causeLabel }),
          el('span', { class: 'status-label', text: i.overdue ? `${i.statusLabel} · 已逾期` : i.statusLabel }),
          el('span', { class: 'meta', text: `负责人 ${i.ownerName} · 截止 ${i.dueDate} · 相关工单 ${i.linkedCases} 件` }),
        ),
        el('div', { class: 'action', text: i.action }),
        el('div', { class: 'effect', text: i.effect ? i.effect.text : '完成后显示效果' }),
      ),
    ),
  );
}

export function renderWording(report) {
  const box = $('wording');
  $('wording-sub').textContent = `${report.period.fromDay} 至 ${report.period.toDay}，与宣传不符 ${report.cases} 件${report.truncated ? '（只读取最近 200 件）' : ''}`;
  if (report.groups.length === 0) {
    box.replaceChildren(el('li', { class: 'empty', text: '这段时间没有“与宣传不符”的工单。' }));
    return;
  }
  box.replaceChildren(
    ...report.groups.map((g) =>
      el(
        'li',
        { class: 'wording-group', 'data-product': g.product ?? '' },
        el('div', { class: 'head' }, el('span', { class: 'name', text: g.label }), el('span', { class: 'num', text: `${g.cases} 件` })),
        el(
          'ul',
          null,
          ...g.claims.map((c) => el('li', { class: 'claim' }, `「${c.text}」`, el('span', { class: 'meta', text: ` × ${c.cases}` }))),
          g.withoutClaim > 0 ? el('li', { class: 'meta', text: `未引用主播原话 ${g.withoutClaim} 件` }) : null,
        ),
      ),
    ),
  );
}
