/* global document, fetch, location, history, URLSearchParams */
// The dashboard page: reads the filters (kept in the address bar, so a view can be shared), fetches
// /api/stats, /api/spikes, /api/showcase, /api/wording, /api/improvements and /api/digest, and hands the answers to dashboard-render.js.
import { $, el, renderCharts, renderCustomer, renderKpis, renderShowcase, renderSpikes, renderTable } from './render.js';
import { renderImprovements, renderWording } from './improve-panel.js';

const state = { period: '30', from: '', to: '', channel: '', category: '' };
let optionsReady = false;
let loading = 0;

function query(extra) {
  const p = new URLSearchParams();
  if (state.period === 'custom' && state.from && state.to) {
    p.set('from', state.from);
    p.set('to', state.to);
  } else p.set('days', state.period === 'custom' ? '30' : state.period);
  if (state.channel) p.set('channel', state.channel);
  if (state.category) p.set('category', state.category);
  for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
  return p.toString();
}

async function getJson(url) {
  const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (res.status === 401) {
    location.href = `/console/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    throw new Error('请先登录');
  }
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new Error((body && body.error && body.error.message) || `HTTP ${res.status}`);
  }
  return res.json();
}

function setStatus(text, isError) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', !!isError);
}

// ---- filters ---------------------------------------------------------------------------------

function readUrl() {
  const p = new URLSearchParams(location.search);
  if (p.get('from') && p.get('to')) Object.assign(state, { period: 'custom', from: p.get('from'), to: p.get('to') });
  else if (p.get('days')) state.period = p.get('days');
  state.channel = p.get('channel') || '';
  state.category = p.get('category') || '';
}

function fillOptions(options) {
  if (optionsReady) return;
  optionsReady = true;
  for (const o of options.channels) {
    $('f-channel').append(el('option', { value: o.value, text: o.label }));
    $('c-channel').append(el('option', { value: o.value, text: o.label }));
  }
  for (const o of options.categories) $('f-category').append(el('option', { value: o.value, text: o.label }));
  syncForm();
}

function syncForm() {
  const period = $('f-period');
  if (![...period.options].some((o) => o.value === state.period)) period.append(el('option', { value: state.period, text: `近 ${state.period} 天` }));
  period.value = state.period;
  $('f-custom').hidden = state.period !== 'custom';
  $('f-from').value = state.from;
  $('f-to').value = state.to;
  $('f-channel').value = state.channel;
  $('f-category').value = state.category;
}

function bindFilters() {
  $('f-period').addEventListener('change', (e) => {
    state.period = e.target.value;
    $('f-custom').hidden = state.period !== 'custom';
    if (state.period !== 'custom') load();
  });
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    state.from = $('f-from').value;
    state.to = $('f-to').value;
    if (state.from && state.to) load();
  });
  $('f-channel').addEventListener('change', (e) => {
    state.channel = e.target.value;
    load();
  });
  $('f-category').addEventListener('change', (e) => {
    state.category = e.target.value;
    load();
  });
  $('customer-form').addEventListener('submit', (e) => {
    e.preventDefault();
    showCustomer($('c-channel').value, $('c-user').value.trim());
  });
}

// ---- loading ---------------------------------------------------------------------------------

async function showCustomer(channel, customerId) {
  if (!channel || !customerId) return;
  $('c-channel').value = channel;
  $('c-user').value = customerId;
  const box = $('customer');
  box.replaceChildren(el('div', { class: 'empty', text: '加载中…' }));
  try {
    renderCustomer(box, await getJson(`/api/customers/${encodeURIComponent(channel)}/${encodeURIComponent(customerId)}/cases`));
    box.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  } catch (err) {
    box.replaceChildren(el('div', { class: 'empty', text: `读取失败：${err.message}` }));
  }
}

function updateCsvLinks() {
  for (const a of document.querySelectorAll('a.csv')) {
    const table = a.getAttribute('data-table');
    a.href = table === 'showcase' ? `/api/showcase/export.csv?${query()}` : `/api/stats/export.csv?${query({ table })}`;
    a.setAttribute('download', '');
  }
}

async function load() {
  const mine = ++loading;
  setStatus('加载中…');
  history.replaceState(null, '', `${location.pathname}?${query()}`);
  updateCsvLinks();
  try {
    const [stats, spikes, showcase, wording, improvements] = await Promise.all([
      getJson(`/api/stats?${query()}`),
      getJson(`/api/spikes?${query()}`),
      getJson(`/api/showcase?${query()}`),
      getJson(`/api/wording?${query()}`),
      getJson('/api/improvements'),
    ]);
    if (mine !== loading) return;
    fillOptions(stats.options);
    renderKpis(stats.kpi, stats.period);
    renderCharts(stats);
    renderTable('table-category', '问题分类', stats.tables.category, 'category');
    renderTable('table-channel', '渠道', stats.tables.channel);
    renderTable('table-product', '商品', stats.tables.product, 'product');
    renderTable('table-day', '日期', stats.tables.day);
    renderSpikes(spikes, showCustomer);
    renderShowcase(showcase.items);
    renderWording(wording);
    renderImprovements(improvements.items);
    setStatus(`已更新 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })}`);
    $('footer').textContent = `数据库查询 ${stats.queryMs} ms · 时间按北京时间计`;
    document.body.setAttribute('data-loaded', query());
  } catch (err) {
    if (mine === loading) setStatus(`加载失败：${err.message}`, true);
  }
}

async function loadDigest() {
  try {
    $('digest').textContent = (await getJson('/api/digest')).text;
  } catch (err) {
    $('digest').textContent = `读取失败：${err.message}`;
  }
}

// Module scripts run after the document is parsed, and after the deferred chart.umd.js before them.
readUrl();
syncForm();
bindFilters();
load();
loadDigest();
