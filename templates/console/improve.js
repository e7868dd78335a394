/* global document, fetch, location, URLSearchParams, FormData */
// The 改进单 page: managers open items (the form is filled from the dashboard link's query string), close and
// reopen them; owners see their own items and mark them done. Server text goes in with textContent only.
import { $, el } from './render.js';

let me = null;
const MANAGERS = ['manager', 'supervisor', 'admin'];

async function api(method, url, body) {
  const headers = { accept: 'application/json', 'x-requested-with': 'console' };
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, credentials: 'same-origin', body: body ? JSON.stringify(body) : undefined });
  if (res.status === 401) {
    location.href = `/console/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    throw new Error('请先登录');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error((data && data.error && data.error.message) || `HTTP ${res.status}`);
  return data;
}

function setStatus(text, isError) {
  $('status').textContent = text;
  $('status').classList.toggle('error', !!isError);
}

function actions(i) {
  const out = [];
  const manager = MANAGERS.includes(me.role);
  const add = (label, cls, path) => {
    const b = el('button', { type: 'button', class: cls, text: label });
    b.addEventListener('click', () => change(i.id, path));
    out.push(b);
  };
  if (i.status === 'open' && (manager || i.ownerId === me.id)) add('标记完成', 'done', 'done');
  if (manager && i.status !== 'closed') add('关闭', 'close', 'close');
  if (manager && i.status !== 'open') add('重新打开', 'reopen', 'reopen');
  return out;
}

function row(i) {
  return el(
    'tr',
    { 'data-id': i.id, 'data-status': i.status, class: i.overdue ? 'overdue' : '' },
    el('td', { text: `${i.dimensionLabel}：${i.name}` }),
    el('td', { text: i.causeLabel }),
    el('td', { text: i.ownerName }),
    el('td', { class: 'text', text: i.action }),
    el('td', { text: i.dueDate }),
    el('td', { class: 'state', text: i.overdue ? `${i.statusLabel} · 已逾期` : i.statusLabel }),
    el('td', { text: `${i.linkedCases} 件` }),
    el('td', { class: 'text effect', text: i.effect ? i.effect.text : '完成后显示效果' }),
    el('td', null, ...actions(i)),
  );
}

async function load() {
  const p = new URLSearchParams();
  if ($('f-mine').checked) p.set('mine', '1');
  if ($('f-status').value) p.set('status', $('f-status').value);
  try {
    const data = await api('GET', `/api/improvements?${p}`);
    me = data.me;
    const body = $('items').tBodies[0];
    body.replaceChildren(...data.items.map(row));
    if (data.items.length === 0) body.append(el('tr', null, el('td', { class: 'empty', colspan: '9', text: '没有改进单' })));
    document.body.setAttribute('data-loaded', String(Date.now()));
    setStatus(`共 ${data.items.length} 项`);
  } catch (err) {
    setStatus(`加载失败：${err.message}`, true);
  }
}

async function change(id, path) {
  try {
    await api('POST', `/api/improvements/${encodeURIComponent(id)}/${path}`);
    await load();
  } catch (err) {
    setStatus(`操作失败：${err.message}`, true);
  }
}

async function setUpForm() {
  const options = await api('GET', '/api/improvements/options');
  $('n-cause').replaceChildren(...options.causes.map((c) => el('option', { value: c.value, text: c.label })));
  $('n-owner').replaceChildren(...options.owners.map((u) => el('option', { value: u.id, text: u.name })));
  const q = new URLSearchParams(location.search);
  if (q.get('source')) $('n-source').value = q.get('source');
  if (q.get('dimension')) $('n-dimension').value = q.get('dimension');
  if (q.get('key')) $('n-key').value = q.get('key');
  if (q.get('caseId')) $('n-case').value = q.get('caseId');
  if (q.get('dimension') === 'carrier') $('n-cause').value = 'carrier';
  $('new-card').hidden = false;
  $('to-dashboard').hidden = false;
  $('new-item').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(e.target).entries());
    const body = { source: f.source, dimension: f.dimension, cause: f.cause, ownerId: f.ownerId, action: f.action, dueDate: f.dueDate };
    if (f.key) body.key = f.key;
    if (f.caseId) {
      body.caseId = f.caseId;
      body.source = 'case';
    }
    try {
      await api('POST', '/api/improvements', body);
      setStatus('已创建');
      $('n-action').value = '';
      await load();
    } catch (err) {
      setStatus(`创建失败：${err.message}`, true);
    }
  });
}

$('f-mine').addEventListener('change', load);
$('f-status').addEventListener('change', load);
await load();
if (me && MANAGERS.includes(me.role)) await setUpForm();
else $('f-mine').checked = true;
