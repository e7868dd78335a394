// The left column: tabs and the lists behind them (queue, my cases, everyone's, tasks, alerts).
import { CHANNEL, STATUS, TASK, WHO, duration, el, clear, slaBadge, time } from './console-lib.js';

const SUPERVISING = ['supervisor', 'admin'];
const WATCHING = ['supervisor', 'manager', 'admin'];

/** The tabs this role sees, in order. */
export function tabsFor(role, state) {
  const tabs = [];
  if (state && state.results) tabs.push({ id: 'search', label: '搜索结果' });
  if (role !== 'manager') tabs.push({ id: 'review', label: '待审核' }, { id: 'queue', label: '待处理队列' }, { id: 'mine', label: '我的工单' });
  if (role !== 'agent') tabs.push({ id: 'all', label: '全部' });
  tabs.push({ id: 'tasks', label: '待办任务' });
  if (WATCHING.includes(role)) tabs.push({ id: 'alerts', label: '预警' });
  if (SUPERVISING.includes(role)) tabs.push({ id: 'team', label: '团队' });
  return tabs;
}

export function renderTabs(root, state, onSelect) {
  clear(
    root,
    tabsFor(state.me.role, state).map((t) =>
      el(
        'button',
        { type: 'button', class: state.tab === t.id ? 'active' : '', dataset: { tab: t.id }, onclick: () => onSelect(t.id) },
        t.label,
        state.counts[t.id] !== undefined ? el('span', { class: 'count' }, '(' + state.counts[t.id] + ')') : null,
      ),
    ),
  );
}

/** The newest line of the chat, as the list shows it under the case. */
function lastLine(m) {
  if (!m) return null;
  const words = m.recalled ? '（已撤回一条消息）' : m.text || (m.attachment === 'image' ? '[图片]' : m.attachment ? '[文件]' : '');
  return el('div', { class: 'last-message muted' }, (WHO[m.from] || '系统通知') + '：' + words);
}

function unreadMarks(item) {
  return [
    item.isNew ? el('span', { class: 'badge new' }, '新') : null,
    item.unread ? el('span', { class: 'unread', title: item.unread + ' 条未读顾客消息' }, String(item.unread)) : null,
  ];
}

export function caseItem(item, state, onOpen) {
  return el(
    'button',
    { type: 'button', class: 'inbox-item' + (state.selectedId === item.id ? ' selected' : '') + (item.unread ? ' has-unread' : ''), dataset: { id: item.id }, onclick: () => onOpen(item.id) },
    el(
      'div',
      { class: 'row1' },
      el('span', { class: 'badge p' + item.priority }, 'P' + item.priority),
      el('span', { class: 'ref' }, item.ref),
      ...unreadMarks(item),
      el('span', { class: 'badge status-' + item.status }, STATUS[item.status] || item.status),
      item.risk ? el('span', { class: 'badge risk' }, '高风险') : null,
      item.evidenceCount ? el('span', { class: 'muted', title: '证据' }, '📎' + item.evidenceCount) : null,
    ),
    el('div', { class: 'row2' }, item.categoryLabel + (item.description ? '：' + item.description : '')),
    lastLine(item.lastMessage),
    el(
      'div',
      { class: 'row3' },
      el('span', {}, (CHANNEL[item.channel] || item.channel) + ' · 等待 ' + duration(item.waitingMs) + (item.assigneeName ? ' · ' + item.assigneeName : '')),
      item.sla ? slaBadge(item.sla.type, item.sla.due) : null,
    ),
  );
}

function taskItem(task, onDone) {
  return el(
    'div',
    { class: 'feed-item' },
    el('div', { class: 'head' }, el('span', { class: 'badge' }, TASK[task.kind] || '待办'), task.caseRef ? el('span', {}, '工单 ' + task.caseRef) : null),
    el('div', { class: 'text' }, task.reason),
    el(
      'div',
      { class: 'meta' },
      el('span', {}, time(task.createdAt)),
      task.status === 'open' ? el('button', { type: 'button', class: 'btn small', onclick: () => onDone(task.id) }, '标记完成') : el('span', {}, '已完成'),
    ),
  );
}

function alertItem(alert, onOpen) {
  return el(
    'div',
    { class: 'feed-item' },
    el('div', { class: 'head' }, el('span', { class: 'badge level-' + alert.level }, { critical: '紧急', warning: '注意', info: '提示' }[alert.level] || alert.level), el('span', {}, alert.title)),
    el('div', { class: 'text' }, alert.text),
    el(
      'div',
      { class: 'meta' },
      el('span', {}, time(alert.createdAt)),
      alert.caseId ? el('button', { type: 'button', class: 'btn small', onclick: () => onOpen(alert.caseId) }, '查看工单') : null,
    ),
  );
}

/** Fills the list for the current tab from what the app already loaded. */
export function renderList(root, state, handlers) {
  const empty = (text) => el('div', { class: 'empty' }, text);
  if (state.tab === 'tasks') {
    return clear(root, state.tasks.length ? state.tasks.map((t) => taskItem(t, handlers.doneTask)) : empty('暂无待办任务'));
  }
  if (state.tab === 'alerts') {
    return clear(root, state.alerts.length ? state.alerts.map((a) => alertItem(a, handlers.openCase)) : empty('暂无预警'));
  }
  if (state.tab === 'team') return clear(root, empty('团队负载显示在右侧'));
  const items = casesForTab(state);
  return clear(root, items.length ? items.map((i) => caseItem(i, state, handlers.openCase)) : empty(state.tab === 'review' ? '没有等待审核的工单' : state.tab === 'queue' ? '队列里没有等待的工单 🎉' : state.tab === 'search' ? '没有找到符合条件的工单' : '暂无工单'));
}

/** 待审核: filed cases nobody has taken yet (open) and taken ones still waiting for 同意 or 驳回 (assigned). */
export const awaitsDecision = (item) => item.status === 'open' || item.status === 'assigned';

export function casesForTab(state) {
  if (state.tab === 'review') return state.inbox.filter(awaitsDecision);
  if (state.tab === 'queue') return state.inbox.filter((i) => i.status === 'escalated');
  if (state.tab === 'mine') return state.inbox.filter((i) => i.mine);
  if (state.tab === 'all') return state.all;
  if (state.tab === 'search') return state.results || [];
  return [];
}
