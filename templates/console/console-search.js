// The search bar above the lists: one box (case reference, order number, phone number, customer id) and the
// status / channel / category / priority filters. The term goes in the request body, never in the address.
import { CHANNEL, PRIORITY, STATUS, api, attempt, clear, el } from './console-lib.js';

const select = (id, label, entries) =>
  el('select', { id, 'aria-label': label }, el('option', { value: '' }, label), entries.map(([value, text]) => el('option', { value }, text)));

/** Builds the bar into `root`; `onResults(items, asked)` gets the matching cases (inbox lines). */
export function renderSearch(root, labels, onResults) {
  const q = el('input', { id: 'search-q', type: 'search', placeholder: '工单号 / 订单号 / 手机号 / 顾客ID', maxlength: 64, autocomplete: 'off' });
  const status = select('filter-status', '全部状态', Object.entries(STATUS));
  const channel = select('filter-channel', '全部渠道', Object.entries(CHANNEL));
  const category = select('filter-category', '全部类型', Object.entries(labels.category || {}));
  const priority = select('filter-priority', '全部优先级', Object.entries(PRIORITY));
  const clearButton = el('button', { type: 'button', class: 'btn small', id: 'search-clear' }, '清除');
  const form = el(
    'form',
    { class: 'search', id: 'search-form', role: 'search' },
    el('div', { class: 'search-row' }, q, el('button', { type: 'submit', class: 'btn small primary', id: 'search-submit' }, '搜索')),
    el('div', { class: 'search-row filters' }, status, channel, category, priority, clearButton),
  );
  // Only the newest request may show its answer: a slower earlier search (or one still running when the bar was
  // cleared) must not overwrite what the agent asked for last.
  let asked = 0;
  const run = () =>
    attempt(async () => {
      const mine = ++asked;
      const body = {};
      if (q.value.trim()) body.q = q.value.trim();
      if (status.value) body.status = [status.value];
      if (channel.value) body.channel = channel.value;
      if (category.value) body.category = category.value;
      if (priority.value) body.priority = Number(priority.value);
      const res = await api('/api/search', { method: 'POST', body });
      if (mine === asked) onResults(res.items, Object.keys(body).length > 0);
    });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  for (const s of [status, channel, category, priority]) s.addEventListener('change', run);
  clearButton.addEventListener('click', () => {
    asked++;
    q.value = '';
    for (const s of [status, channel, category, priority]) s.value = '';
    onResults(null, false);
  });
  clear(root, form);
}
