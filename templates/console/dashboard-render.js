/* global document, Chart, URLSearchParams */
// Drawing the dashboard: KPI tiles, Chart.js charts, tables, spikes, showcase and the customer view. Every text
// from the server goes in with textContent (or a text node), never as HTML.
export const $ = (id) => document.getElementById(id);
const NA = '—';
const STATUS = { collecting: '收集中', open: '待处理', escalated: '待人工', assigned: '处理中', resolved: '已解决', closed: '已关闭' };
const COLORS = ['#1664ff', '#14c9c9', '#f7ba1e', '#722ed1', '#f53f3f', '#00b42a', '#ff7d00', '#3491fa', '#86909c', '#d91ad9'];
const charts = {};

const pct = (x) => (x === null || x === undefined ? NA : `${(x * 100).toFixed(1)}%`);
const num = (x) => (x === null || x === undefined ? NA : Number(x).toLocaleString('zh-CN'));
const fixed = (x, unit) => (x === null || x === undefined ? NA : `${x}${unit}`);
const day = (iso) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, 16);

export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

export function renderKpis(k, period) {
  $('kpi-cases').textContent = num(k.cases);
  $('kpi-cases-sub').textContent = `${period.fromDay} 至 ${period.toDay}`;
  $('kpi-bot').textContent = pct(k.botResolvedShare);
  $('kpi-frt').textContent = fixed(k.firstResponseAvgMinutes, ' 分钟');
  $('kpi-resolution').textContent = fixed(k.resolutionAvgHours, ' 小时');
  $('kpi-sla').textContent = pct(k.slaMetShare);
  $('kpi-sla-sub').textContent = `已结算 ${num(k.slaSettled)} 件`;
  $('kpi-csat').textContent = k.csatAvg === null ? NA : `${k.csatAvg} 分`;
  $('kpi-csat-sub').textContent = `${num(k.csatCount)} 条评价 · 好评率 ${pct(k.csatSatisfiedShare)}`;
  $('kpi-reopen').textContent = pct(k.reopenRate);
  $('kpi-escalated').textContent = pct(k.escalatedShare);
}

function chart(id, config) {
  if (typeof Chart === 'undefined') return;
  const existing = charts[id];
  if (existing) {
    existing.data = config.data;
    existing.update();
    return;
  }
  charts[id] = new Chart($(id), {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, ...config.options },
  });
}

export function renderCharts(d) {
  const days = d.tables.day;
  chart('chart-day', {
    type: 'line',
    data: {
      labels: days.map((r) => r.label.slice(5)),
      datasets: [
        { label: '工单数', data: days.map((r) => r.cases), borderColor: COLORS[0], backgroundColor: 'rgba(22,100,255,.12)', fill: true, tension: 0.25 },
        { label: '已解决', data: days.map((r) => r.resolved), borderColor: COLORS[5], tension: 0.25 },
      ],
    },
    options: { plugins: { legend: { display: true, position: 'bottom' } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  const cat = d.tables.category;
  chart('chart-category', {
    type: 'bar',
    data: { labels: cat.map((r) => r.label), datasets: [{ label: '工单数', data: cat.map((r) => r.cases), backgroundColor: COLORS }] },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  const ch = d.tables.channel;
  chart('chart-channel', {
    type: 'doughnut',
    data: { labels: ch.map((r) => r.label), datasets: [{ data: ch.map((r) => r.cases), backgroundColor: COLORS }] },
    options: { plugins: { legend: { display: true, position: 'right' } } },
  });
  const prod = d.tables.product.slice(0, 10);
  chart('chart-product', {
    type: 'bar',
    data: { labels: prod.map((r) => r.label), datasets: [{ label: '工单数', data: prod.map((r) => r.cases), backgroundColor: COLORS[3] }] },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  chart('chart-csat', {
    type: 'bar',
    data: {
      labels: ['1 星', '2 星', '3 星', '4 星', '5 星'],
      datasets: [{ label: '评价数', data: d.kpi.csatDistribution, backgroundColor: ['#f53f3f', '#ff7d00', '#f7ba1e', '#7bc616', '#00b42a'] }],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

const COLUMNS = [
  ['工单数', (r) => num(r.cases)],
  ['占比', (r) => pct(r.share)],
  ['已解决', (r) => num(r.resolved)],
  ['机器人独立解决', (r) => pct(r.botResolvedShare)],
  ['转人工', (r) => pct(r.escalatedShare)],
  ['首次响应(分)', (r) => fixed(r.firstResponseAvgMinutes, '')],
  ['解决时长(时)', (r) => fixed(r.resolutionAvgHours, '')],
  ['SLA 达成', (r) => pct(r.slaMetShare)],
  ['满意度', (r) => fixed(r.csatAvg, '')],
  ['评价数', (r) => num(r.csatCount)],
  ['重开率', (r) => pct(r.reopenRate)],
];

/** Where a manager opens an improvement item (改进单) for one key, the form filled in. */
export const improveLink = (source, dimension, key) =>
  el('a', { class: 'link improve', href: `/console/improvements?${new URLSearchParams({ source, dimension, key })}`, text: '开改进单' });

/** `dimension` (category, product) adds a link per row to open an improvement item for that key. */
export function renderTable(id, first, rows, dimension) {
  const table = $(id);
  const firstCell = (r) => el('td', null, r.label, dimension && r.key !== null ? improveLink('dashboard', dimension, r.key) : null);
  table.replaceChildren(
    el('thead', null, el('tr', null, el('th', { text: first }), ...COLUMNS.map(([h]) => el('th', { text: h })))),
    el('tbody', null, ...rows.map((r) => el('tr', null, firstCell(r), ...COLUMNS.map(([, f]) => el('td', { text: f(r) }))))),
  );
  if (rows.length === 0) table.append(el('tbody', null, el('tr', null, el('td', { class: 'empty', colspan: String(COLUMNS.length + 1), text: '没有数据' }))));
}

export function renderSpikes(report, onCustomer) {
  const list = $('spikes');
  const r = report.rule;
  $('spikes-rule').textContent = `${report.week.fromDay} 至 ${report.week.toDay}，对比前 ${r.baselineWeeks} 周平均（≥${r.ratio} 倍且 ≥${r.minCases} 件）`;
  if (report.spikes.length === 0) {
    list.replaceChildren(el('li', { class: 'empty', text: '近 7 天没有明显异常上升。' }));
    return;
  }
  list.replaceChildren(
    ...report.spikes.map((s) =>
      el(
        'li',
        { class: 'spike', 'data-dimension': s.dimension, 'data-key': s.key },
        el(
          'div',
          { class: 'head' },
          el('span', { class: 'name', text: `${s.dimensionLabel}：${s.label}` }),
          el('span', { class: 'num', text: `本周 ${s.thisWeek} 件` }),
          el('span', { class: 'base', text: `基线 ${s.baseline} 件/周（前 ${s.baselineWeeks.length} 周：${s.baselineWeeks.join(' / ')}）` }),
          el('span', { class: 'num', text: s.ratio === null ? '新出现' : `${s.ratio} 倍` }),
          improveLink('spike', s.dimension, s.key),
        ),
        el(
          'ul',
          null,
          ...s.examples.map((e) =>
            el(
              'li',
              null,
              `${day(e.at)} · ${e.text || '（无描述）'}`,
              el('button', { class: 'link', type: 'button', text: '客户视图', onclick: () => onCustomer(e.channel, e.customerId) }),
            ),
          ),
        ),
      ),
    ),
  );
}

const SHOWCASE_SHOWN = 8;

export function renderShowcase(items, all) {
  const list = $('showcase');
  if (items.length === 0) {
    list.replaceChildren(el('li', { class: 'empty', text: '这段时间还没有可引用的好评。' }));
    return;
  }
  const shown = all ? items : items.slice(0, SHOWCASE_SHOWN);
  const more =
    shown.length < items.length
      ? el('li', { class: 'more-row' }, el('button', { class: 'more', type: 'button', text: `显示全部 ${items.length} 条`, onclick: () => renderShowcase(items, true) }))
      : null;
  list.replaceChildren(
    ...shown.map((i) =>
      el(
        'li',
        null,
        el('div', { class: 'words', text: `“${i.words}”` }),
        el(
          'div',
          { class: 'meta' },
          el('span', { class: 'stars', text: '★'.repeat(i.csat) }),
          ` ${i.product || '—'} · ${i.categoryLabel} · ${i.channelLabel} · ${day(i.at)}`,
        ),
      ),
    ),
    ...(more ? [more] : []),
  );
}

/** The customer view: identities joined by order id, then their cases, newest first. */
export function renderCustomer(box, v) {
  const ids = v.identities.map((i) => `${i.channelLabel} ${i.customerId}${i.linkedBy.length ? `（订单 ${i.linkedBy.join('、')}）` : ''}`);
  const head = ['时间', '渠道', '订单号', '商品', '分类', '状态', '评分', '描述'];
  const cells = (c) => [day(c.createdAt), c.channelLabel, c.orderId || '—', c.product || '—', c.categoryLabel, STATUS[c.status] || c.status, c.csat ? `${c.csat} 星` : '—', c.description];
  box.replaceChildren(
    el('div', { class: 'ids', text: `身份：${ids.join('；')} · 共 ${v.cases.length} 个工单` }),
    el(
      'div',
      { class: 'scroll' },
      el(
        'table',
        { id: 'customer-cases' },
        el('thead', null, el('tr', null, ...head.map((h) => el('th', { text: h })))),
        el('tbody', null, ...v.cases.map((c) => el('tr', null, ...cells(c).map((t) => el('td', { text: t }))))),
      ),
    ),
  );
}
