/* global document, location, history, crypto, EventSource, setInterval, setTimeout */
// The console page: loads who I am, the inbox and the open case, and keeps them current from /api/events.
import { ROLE, api, attempt, el, clear, toast, updateCountdowns } from './console-lib.js';
import { awaitsDecision, renderList, renderTabs, tabsFor } from './console-inbox.js';
import { renderCase } from './console-case.js';
import { renderTeam, renderUsers } from './console-admin.js';
import { renderSearch } from './console-search.js';
import { announce, askPermissionOnce, news } from './console-notify.js';
import { showSurge } from './console-surge.js';

const $ = (id) => document.getElementById(id);
const state = { me: null, tab: 'queue', selectedId: null, view: 'case', inbox: [], all: [], tasks: [], alerts: [], counts: {}, canned: [], shopName: '', labels: {}, results: null, seen: null };
let events = null;

const isRole = (...roles) => roles.includes(state.me.role);

async function refresh() {
  const [inbox, all, tasks, alerts] = await Promise.all([
    isRole('manager') ? { items: [] } : api('/api/queue'),
    isRole('supervisor', 'admin', 'manager') ? api('/api/queue?view=all') : { items: [] },
    api('/api/tasks'),
    isRole('supervisor', 'admin', 'manager') ? api('/api/alerts?limit=50') : { items: [] },
  ]);
  // What is new since the last look (cases, unread shopper lines) is announced; the first look only sets the base.
  const lines = [...inbox.items, ...all.items.filter((i) => !inbox.items.some((m) => m.id === i.id))];
  announce(news(state.seen, lines, { canTake: !!state.me.user && isRole('agent', 'supervisor', 'admin') }).filter((n) => n.item.id !== state.selectedId || document.hidden), openCase);
  state.seen = lines;
  state.inbox = inbox.items;
  state.all = all.items;
  state.tasks = tasks.items;
  state.alerts = alerts.items;
  state.counts = {
    review: state.inbox.filter(awaitsDecision).length,
    queue: state.inbox.filter((i) => i.status === 'escalated').length,
    mine: state.inbox.filter((i) => i.mine).length,
    all: state.all.length,
    tasks: state.tasks.length,
    ...(state.results ? { search: state.results.length } : {}),
  };
  renderTabs($('tabs'), state, selectTab);
  renderList($('list'), state, { openCase, doneTask });
  updateCountdowns(document, Date.now());
  await surge();
}

const surge = () => showSurge($('surge'), state.me.role);

function selectTab(tab) {
  state.tab = tab;
  if (tab === 'team') {
    state.view = 'team';
    state.selectedId = null;
    connect();
    attempt(() => renderTeam($('detail')));
  }
  renderTabs($('tabs'), state, selectTab);
  renderList($('list'), state, { openCase, doneTask });
  updateCountdowns(document, Date.now());
}

async function doneTask(id) {
  await attempt(async () => {
    await api('/api/tasks/' + encodeURIComponent(id) + '/done', { method: 'POST' });
    toast('已标记完成');
    await refresh();
  });
}

const caseCtx = () => ({ me: state.me, canned: state.canned, shopName: state.shopName, labels: state.labels, open: openCase, reload: reloadAll, newId: () => crypto.randomUUID() });

/** Marks the case read up to the newest line on screen (the server keeps the mark per person). */
async function markRead(c) {
  const newest = c.messages.length ? c.messages[c.messages.length - 1].at : null;
  if (!newest || !state.me.user) return;
  const line = [...state.inbox, ...state.all, ...(state.results || [])].find((i) => i.id === c.id);
  if (line && !line.unread && !line.isNew) return;
  await api('/api/cases/' + encodeURIComponent(c.id) + '/read', { method: 'POST', body: { upTo: newest } });
  for (const list of [state.inbox, state.all, state.results || [], state.seen || []]) {
    for (const i of list) if (i.id === c.id) Object.assign(i, { unread: 0, isNew: false });
  }
  renderList($('list'), state, { openCase, doneTask });
}

function showResults(items) {
  state.results = items;
  if (items) selectTab('search');
  else {
    state.counts.search = undefined;
    selectTab(tabsFor(state.me.role)[0].id);
  }
}

async function loadCase() {
  if (!state.selectedId) return;
  const id = state.selectedId;
  try {
    const c = await api('/api/cases/' + encodeURIComponent(id));
    if (state.selectedId !== id || state.view !== 'case') return;
    renderCase($('detail'), c, caseCtx());
    updateCountdowns(document, Date.now());
    // Only a page someone looks at reads the messages.
    if (!document.hidden) await attempt(() => markRead(c));
  } catch (err) {
    if (err.status === 403 || err.status === 404) {
      clear($('detail'), el('div', { class: 'placeholder' }, err.status === 403 ? '该工单已转给其他客服，您无法继续查看' : '工单不存在'));
      state.selectedId = null;
      connect();
    } else if (err.status !== 401) toast(err.message, 'error');
  }
}

async function reloadAll() {
  await Promise.all([loadCase(), refresh()]);
}

async function openCase(id) {
  state.selectedId = id;
  state.view = 'case';
  history.replaceState(null, '', '#case=' + encodeURIComponent(id));
  renderList($('list'), state, { openCase, doneTask });
  updateCountdowns(document, Date.now());
  connect();
  await loadCase();
}

/** One event stream, watching the open case if there is one. */
function connect() {
  if (events) events.close();
  const url = '/api/events' + (state.selectedId ? '?case=' + encodeURIComponent(state.selectedId) : '');
  events = new EventSource(url);
  const live = $('live');
  events.addEventListener('open', () => live.classList.add('connected'));
  events.addEventListener('queue', () => attempt(refresh));
  events.addEventListener('surge', () => attempt(surge));
  events.addEventListener('case', () => {
    // Never pull a half-filled action form (resolve note, transfer) out from under the agent.
    if (!document.querySelector('#action-form .inline-form')) loadCase();
  });
  events.addEventListener('logout', () => location.assign('/console/login'));
  events.addEventListener('error', () => {
    live.classList.remove('connected');
    if (events.readyState === EventSource.CLOSED) {
      setTimeout(() => attempt(async () => {
        await api('/api/me');
        connect();
      }), 5000);
    }
  });
}

function header() {
  const me = state.me;
  $('me').textContent = (me.user ? me.user.displayName : 'API') + '（' + (ROLE[me.role] || me.role) + '）';
  if (isRole('supervisor', 'admin', 'manager')) $('dashboard-link').classList.remove('hidden');
  if (isRole('admin')) {
    const link = $('users-link');
    link.classList.remove('hidden');
    link.addEventListener('click', () => {
      state.view = 'users';
      state.selectedId = null;
      connect();
      attempt(() => renderUsers($('detail')));
    });
  }
  if (me.user && isRole('agent', 'supervisor')) {
    $('presence').classList.remove('hidden');
    const paint = (online) => {
      $('presence-online').classList.toggle('on', online);
      $('presence-away').classList.toggle('on', !online);
    };
    paint(me.user.online);
    const set = (online) => attempt(async () => {
      const user = await api('/api/me/presence', { method: 'POST', body: { online } });
      paint(user.online);
      toast(user.online ? '已上线，新工单会自动分配给您' : '已设为离开，不再分配新工单');
    });
    $('presence-online').addEventListener('click', () => set(true));
    $('presence-away').addEventListener('click', () => set(false));
  }
  $('logout').addEventListener('click', () => attempt(async () => {
    if (events) events.close();
    await api('/console/logout', { method: 'POST' });
    location.assign('/console/login');
  }));
}

async function boot() {
  state.me = await api('/api/me');
  state.shopName = state.me.shopName || '';
  header();
  const [canned, labels] = await Promise.all([attempt(() => api('/api/canned')), attempt(() => api('/api/labels'))]);
  state.canned = canned ? canned.items : [];
  state.labels = labels || {};
  renderSearch($('search'), state.labels, (items) => showResults(items));
  askPermissionOnce();
  state.tab = tabsFor(state.me.role)[0].id;
  await refresh();
  if (state.tab === 'queue' && state.counts.mine > 0) selectTab('mine');
  const fromHash = /^#case=([\w-]+)$/.exec(location.hash);
  if (fromHash) await openCase(fromHash[1]);
  else connect();
  setInterval(() => updateCountdowns(document, Date.now()), 1000);
  setInterval(() => attempt(refresh), 30000);
}

attempt(boot);
