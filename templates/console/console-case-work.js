/* global URLSearchParams */
// Parts of the case view for everyday work, kept apart from console-case.js: the correction form (with a
// reason), the customer's other cases, `/` canned replies in the reply box, and history lines in words.
import { CHANNEL, EVENT, FIELD, PRIORITY, STATUS, api, attempt, clear, el, fill, time, toast } from './console-lib.js';

const valueText = (field, value, labels) => {
  if (value === null || value === undefined) return '未设置';
  if (field === 'priority') return PRIORITY[value] || 'P' + value;
  return (labels[field] && labels[field][value]) || '（未知）';
};

/** One history line: what happened, who did it, and for corrections and resolutions the details. */
export function historyLine(e, labels) {
  const who = e.actorName ? ' · ' + e.actorName : e.actor === 'system' ? ' · 系统' : e.actor === 'bot' ? ' · 机器人' : e.actor === 'doudian' ? ' · 抖店' : e.actor === 'customer' ? ' · 顾客' : '';
  let detail = '';
  if (e.type === 'assigned' && e.data.name) detail = ' → ' + e.data.name;
  if (e.type === 'resolved' && e.data.note) detail = '：' + e.data.note;
  if (e.type === 'edited') {
    const changes = (e.data.changes || []).map((ch) => (FIELD[ch.field] || '其他') + ' ' + valueText(ch.field, ch.from, labels) + ' → ' + valueText(ch.field, ch.to, labels));
    detail = '：' + changes.join('；') + '（原因：' + (e.data.reason || '') + '）';
  }
  return time(e.at) + ' ' + (EVENT[e.type] || '其他操作') + who + detail;
}

/** The correction form: category, priority and resolution, and the reason, which is required. */
export function editForm(c, ctx, showForm) {
  const labels = ctx.labels;
  const options = (entries, current) => entries.map(([v, text]) => el('option', { value: v, selected: String(current) === String(v) }, text));
  const category = el('select', { id: 'edit-category', 'aria-label': '问题类型' }, options(Object.entries(labels.category || {}), c.category));
  const priority = el('select', { id: 'edit-priority', 'aria-label': '优先级' }, options(Object.entries(PRIORITY), c.priority));
  const resolution = el('select', { id: 'edit-resolution', 'aria-label': '处理方案' }, el('option', { value: '', selected: !c.resolution }, '未选择'), options(Object.entries(labels.resolution || {}), c.resolution));
  const reason = el('input', { id: 'edit-reason', placeholder: '修改原因（必填，会记入处理记录）', maxlength: 500 });
  const save = () =>
    attempt(async () => {
      if (reason.value.trim().length < 2) {
        toast('请填写修改原因', 'error');
        reason.focus();
        return;
      }
      const body = { reason: reason.value.trim() };
      if (category.value !== c.category) body.category = category.value;
      if (Number(priority.value) !== c.priority) body.priority = Number(priority.value);
      if ((resolution.value || null) !== c.resolution) body.resolution = resolution.value || null;
      await api('/api/cases/' + encodeURIComponent(c.id) + '/edit', { method: 'POST', body });
      toast('工单已修改');
      await ctx.reload();
    });
  showForm(category, priority, resolution, reason, el('button', { type: 'button', class: 'btn primary', id: 'edit-confirm', onclick: save }, '保存修改'));
  reason.focus();
}

/** The customer's other cases, on every channel; those the agent may not open are shown, not linked. */
export function relatedCard(c, ctx) {
  if (!c.related || !c.related.length) return null;
  return el(
    'div',
    { class: 'card related', id: 'related' },
    el('h3', {}, '该顾客的其他工单（' + c.related.length + '）'),
    el(
      'ul',
      { class: 'related-list' },
      c.related.map((r) => {
        const text = r.ref + ' · ' + (CHANNEL[r.channel] || '其他渠道') + ' · ' + r.categoryLabel + ' · ' + (STATUS[r.status] || '') + ' · ' + time(r.createdAt) + (r.via === 'order' ? ' · 同一订单' : '');
        return el('li', {}, r.canOpen ? el('a', { href: '#case=' + encodeURIComponent(r.id), onclick: (e) => (e.preventDefault(), ctx.open(r.id)) }, text) : el('span', { class: 'muted' }, text));
      }),
    ),
  );
}

/** Typing `/` at the start of a line opens the canned replies; more letters narrow them, Enter or a click inserts. */
export function slashCanned(text, ctx, vars) {
  const menu = el('ul', { class: 'slash-menu hidden', id: 'slash-menu', role: 'listbox' });
  let matches = [];
  let active = 0;
  const word = () => {
    const before = text.value.slice(0, text.selectionStart);
    const m = /(^|\n)\/([^\s/]*)$/.exec(before);
    return m ? { query: m[2], start: before.length - m[2].length - 1 } : null;
  };
  const close = () => menu.classList.add('hidden');
  const paint = () => {
    clear(menu, matches.map((r, i) => el('li', { role: 'option', class: i === active ? 'active' : '', dataset: { key: r.key }, onmousedown: (e) => (e.preventDefault(), pick(r)) }, el('b', {}, r.title), el('span', { class: 'muted' }, ' ' + fill(r.text, vars).slice(0, 40)))));
    menu.classList.toggle('hidden', matches.length === 0);
  };
  const pick = (reply) => {
    const w = word();
    if (!w) return close();
    const filled = fill(reply.text, vars);
    text.value = text.value.slice(0, w.start) + filled + text.value.slice(text.selectionStart);
    const caret = w.start + filled.length;
    text.setSelectionRange(caret, caret);
    close();
    text.focus();
  };
  text.addEventListener('input', () => {
    const w = word();
    if (!w) return close();
    const q = w.query.toLowerCase();
    matches = ctx.canned.filter((r) => !q || r.title.toLowerCase().includes(q) || r.key.toLowerCase().includes(q) || r.text.includes(w.query)).slice(0, 8);
    active = 0;
    paint();
  });
  text.addEventListener('keydown', (e) => {
    if (menu.classList.contains('hidden')) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
      paint();
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      e.stopImmediatePropagation();
      pick(matches[active]);
    } else if (e.key === 'Escape') close();
  });
  text.addEventListener('blur', close);
  return menu;
}

const IMPROVERS = ['manager', 'supervisor', 'admin'];

/** 开改进单: the improvement items page with this case filled in (and its category as what to improve). */
export function improveLink(c, role) {
  if (!IMPROVERS.includes(role)) return null;
  const q = new URLSearchParams({ source: 'case', caseId: c.id });
  if (c.category) q.set('dimension', 'category');
  return el('a', { class: 'btn', id: 'btn-improve', href: '/console/improvements?' + q.toString() }, '开改进单');
}
