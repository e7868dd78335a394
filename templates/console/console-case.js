/* global document */
// The right column: one case with its packet, evidence, transcript, reply box, notes and history.
import { CHANNEL, DELIVERY, MOOD, STATUS, WHO, api, attempt, clear, el, fill, slaBadge, time, toast } from './console-lib.js';
import { editForm, historyLine, improveLink, relatedCard, slashCanned } from './console-case-work.js';
import { reviewCard } from './console-review.js';

export function openLightbox(src) {
  const box = el('div', { class: 'lightbox', role: 'dialog', 'aria-label': '查看大图', onclick: () => box.remove() }, el('img', { src, alt: '证据大图' }));
  document.body.appendChild(box);
}

const evidenceUrl = (id) => '/api/evidence/' + encodeURIComponent(id);

/** The policy verdict in words; resolution names come from the shared labels (/api/labels), never a copy. */
function policyText(policy, labels) {
  const resolution = labels.resolution || {};
  if (!policy) return '—';
  const parts = [];
  const w = policy.window;
  if (w && w.status === 'within') parts.push('在' + w.days + '天售后期内（签收第' + ((w.daysSince || 0) + 1) + '天）');
  if (w && w.status === 'expired') parts.push('已超出' + w.days + '天售后期（签收' + w.daysSince + '天）');
  if (w && w.status === 'unknown') parts.push('签收时间未知');
  if (Array.isArray(policy.allowedResolutions) && policy.allowedResolutions.length) parts.push('可选方案：' + policy.allowedResolutions.map((r) => resolution[r] || '其他方案').join('、'));
  if (policy.evidenceRequired) parts.push('需证据 ' + policy.evidenceRequired + ' 份');
  if (policy.returnShippingPaidBy) parts.push('退货运费：' + (policy.returnShippingPaidBy === 'shop' ? '店铺承担' : '顾客承担'));
  if (policy.compensationAutoApproveYuan > 0) parts.push('可直接补偿≤' + policy.compensationAutoApproveYuan + '元');
  return parts.join('；') || '无特殊政策限制';
}

function fact(label, ...value) {
  return el('div', {}, el('dt', {}, label), el('dd', {}, ...value));
}

function header(c, ctx) {
  const a = c.actions;
  const formSlot = el('div', { id: 'action-form' });
  const showForm = (...children) => clear(formSlot, el('div', { class: 'inline-form' }, ...children, el('button', { type: 'button', class: 'btn', onclick: () => clear(formSlot) }, '取消')));
  const run = (fn, done) => attempt(async () => {
    await fn();
    if (done) toast(done);
    await ctx.reload();
  });
  const post = (path, body) => api('/api/cases/' + encodeURIComponent(c.id) + path, { method: 'POST', body });

  const resolveForm = () => {
    const note = el('input', { id: 'resolve-note', placeholder: '处理结果备注（选填，例如：已退款 39 元）', maxlength: 2000 });
    showForm(note, el('button', { type: 'button', class: 'btn success', id: 'resolve-confirm', onclick: () => run(() => post('/resolve', { note: note.value.trim() || null }), '工单已解决') }, '确认解决'));
    note.focus();
  };
  const handbackForm = () =>
    showForm(el('span', {}, '交还后机器人将继续接待该顾客，确定吗？'), el('button', { type: 'button', class: 'btn primary', id: 'handback-confirm', onclick: () => run(() => post('/handback'), '已交还机器人') }, '确认交还'));
  const assignForm = async () => {
    const team = await attempt(() => api('/api/team'));
    if (!team) return;
    const select = el(
      'select',
      { id: 'assign-user' },
      el('option', { value: '' }, '退回待处理队列'),
      team.members.map((m) => el('option', { value: m.id, selected: m.id === c.assignee }, m.displayName + '（' + (m.online ? '在线' : '离开') + '，' + m.load + '/' + m.capacity + '）')),
    );
    showForm(select, el('button', { type: 'button', class: 'btn primary', onclick: () => run(() => post('/assign', { userId: select.value || null }), '已转派') }, '确认转派'));
  };

  return el(
    'div',
    { class: 'card' },
    el(
      'div',
      { class: 'case-head' },
      el('span', { class: 'ref' }, '工单 ' + c.ref),
      el('span', { class: 'badge p' + c.priority }, 'P' + c.priority),
      el('span', { class: 'badge status-' + c.status, id: 'case-status' }, STATUS[c.status] || c.status),
      c.risk ? el('span', { class: 'badge risk' }, '高风险') : null,
      el('span', { class: 'badge ' + c.packet.sentiment.label }, MOOD[c.packet.sentiment.label] || c.packet.sentiment.label),
      el('span', { class: 'muted' }, (CHANNEL[c.channel] || c.channel) + (c.assigneeName ? ' · 处理人 ' + c.assigneeName : ' · 未分配')),
      el(
        'div',
        { class: 'actions' },
        a.claim ? el('button', { type: 'button', class: 'btn primary', id: 'btn-claim', onclick: () => run(() => post('/claim'), '已接手') }, '接手') : null,
        a.resolve ? el('button', { type: 'button', class: 'btn success', id: 'btn-resolve', onclick: resolveForm }, '解决') : null,
        a.handback ? el('button', { type: 'button', class: 'btn', id: 'btn-handback', onclick: handbackForm }, '交还机器人') : null,
        a.assign ? el('button', { type: 'button', class: 'btn', id: 'btn-assign', onclick: assignForm }, '转派') : null,
        a.edit ? el('button', { type: 'button', class: 'btn', id: 'btn-edit', onclick: () => editForm(c, ctx, showForm) }, '修改') : null,
        improveLink(c, ctx.me.role),
      ),
    ),
    el('div', { class: 'summary', id: 'case-summary' }, c.packet.summary.map((line) => el('div', {}, line))),
    formSlot,
  );
}

function facts(c, ctx) {
  const p = c.packet;
  const order = p.order
    ? [p.order.orderId, p.order.productName ? '（' + p.order.productName + (p.order.statusDesc ? '，' + p.order.statusDesc : '') + '）' : '', p.order.verified ? ' ✓已核验' : ' 未核验']
    : ['未提供'];
  const running = p.sla.running.length ? p.sla.running.map((r) => el('div', {}, slaBadge(r.type, r.due))) : ['无计时'];
  const breaches = p.sla.breaches.length ? el('div', { class: 'muted' }, '已超时 ' + p.sla.breaches.length + ' 次') : null;
  const customer = p.customer;
  const MEMBER = ctx.labels.member || {};
  const level = customer && customer.memberLevel ? MEMBER[customer.memberLevel] || '会员' : '普通顾客';
  let memberControl = null;
  if (customer && ['supervisor', 'admin'].includes(ctx.me.role)) {
    const select = el('select', { id: 'member-level', 'aria-label': '会员等级' }, el('option', { value: '' }, '普通'), Object.entries(MEMBER).map(([v, label]) => el('option', { value: v, selected: customer.memberLevel === v }, label)));
    select.addEventListener('change', () =>
      attempt(async () => {
        await api('/api/customers/' + encodeURIComponent(customer.id), { method: 'PATCH', body: { memberLevel: select.value || null } });
        toast('会员等级已更新');
        await ctx.reload();
      }),
    );
    memberControl = select;
  }
  return el(
    'div',
    { class: 'card' },
    el(
      'dl',
      { class: 'facts' },
      fact('订单', ...order),
      fact('问题类型', p.categoryLabel),
      fact('顾客诉求', p.resolutionLabel || '未选择'),
      fact('政策判断', policyText(p.policy, ctx.labels)),
      fact('风险 / 情绪', c.risk ? '高风险' : '无', ' · ', MOOD[p.sentiment.label] || p.sentiment.label, p.sentiment.cues.length ? '（' + p.sentiment.cues.join('、') + '）' : ''),
      fact('顾客', customer ? (customer.nickname || customer.platformUserId) + ' · ' + level + ' ' : '—', memberControl),
      fact('转人工原因', p.escalationReason || '—'),
      fact('SLA', ...running, breaches),
    ),
  );
}

function evidence(c) {
  if (!c.packet.evidence.length) return null;
  return el(
    'div',
    { class: 'card' },
    el('h3', {}, '证据（' + c.packet.evidence.length + '）'),
    el(
      'div',
      { class: 'evidence', id: 'evidence' },
      c.packet.evidence.map((e) =>
        e.kind === 'image'
          ? el('button', { type: 'button', title: '点击查看大图', onclick: () => openLightbox(evidenceUrl(e.id)) }, el('img', { src: evidenceUrl(e.id), alt: '证据图片', loading: 'lazy' }))
          : el('a', { href: evidenceUrl(e.id), target: '_blank', rel: 'noopener' }, el('span', { class: 'file' }, e.kind === 'video' ? '🎬 视频' : '📄 文件')),
      ),
    ),
  );
}

function transcript(c) {
  const box = el(
    'div',
    { class: 'transcript', id: 'transcript' },
    c.messages.map((m) => {
      const image = (m.attachments || []).find((a) => a.kind === 'image' && a.evidenceId);
      const body = m.recalled
        ? el('span', { class: 'muted' }, '（顾客已撤回）')
        : image
          ? el('img', { src: evidenceUrl(image.evidenceId), alt: '图片', onclick: () => openLightbox(evidenceUrl(image.evidenceId)) })
          : m.text;
      return el(
        'div',
        { class: 'msg ' + m.author, dataset: { from: m.author } },
        el('div', { class: 'who' }, (WHO[m.author] || m.author) + ' · ' + time(m.at)),
        el('div', { class: 'bubble' }, body),
        m.status && m.status !== 'sent' ? el('div', { class: 'delivery ' + m.status }, DELIVERY[m.status] || m.status) : null,
        m.botError ? el('div', { class: 'delivery failed' }, '机器人处理这条消息时出错（' + m.botError + '），已转人工') : null,
      );
    }),
  );
  return el('div', { class: 'card' }, el('h3', {}, '对话记录'), box);
}

function composer(c, ctx) {
  if (!c.actions.reply) return null;
  const text = el('textarea', { id: 'reply-text', placeholder: '输入回复，Ctrl+Enter 发送；输入 / 选择快捷回复', maxlength: 2000 });
  const vars = { agentName: ctx.me.user ? ctx.me.user.displayName : '', shopName: ctx.shopName, caseRef: c.ref, orderId: c.orderId || '', customerName: (c.packet.customer && c.packet.customer.nickname) || '' };
  const canned = el(
    'select',
    { id: 'canned', 'aria-label': '快捷回复' },
    el('option', { value: '' }, '快捷回复…'),
    ctx.canned.map((r) => el('option', { value: r.key }, r.title)),
  );
  canned.addEventListener('change', () => {
    const reply = ctx.canned.find((r) => r.key === canned.value);
    if (reply) text.value = (text.value ? text.value + '\n' : '') + fill(reply.text, vars);
    canned.value = '';
    text.focus();
  });
  const slashMenu = slashCanned(text, ctx, vars);
  const send = el('button', { type: 'button', class: 'btn primary', id: 'reply-send' }, '发送');
  const submit = () => attempt(async () => {
    const words = text.value.trim();
    if (!words) return;
    send.disabled = true;
    try {
      const res = await api('/api/cases/' + encodeURIComponent(c.id) + '/reply', { method: 'POST', body: { text: words, clientId: ctx.newId() } });
      text.value = '';
      if (res.delivery && res.delivery.status === 'held') toast('平台发送窗口已关闭，消息已暂存，顾客再次来信后自动发出');
      await ctx.reload();
    } finally {
      send.disabled = false;
    }
  });
  send.addEventListener('click', submit);
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
  });
  return el('div', { class: 'card composer' }, el('h3', {}, '回复顾客'), text, slashMenu, el('div', { class: 'bar' }, canned, el('span', { class: 'spacer' }), send));
}

function notes(c, ctx) {
  const list = c.packet.events.filter((e) => e.type === 'note');
  const input = c.actions.note ? el('textarea', { id: 'note-text', placeholder: '内部备注，仅同事可见，不会发给顾客', maxlength: 2000 }) : null;
  const add = input
    ? el('button', {
        type: 'button',
        class: 'btn',
        id: 'note-add',
        onclick: () => attempt(async () => {
          if (!input.value.trim()) return;
          await api('/api/cases/' + encodeURIComponent(c.id) + '/notes', { method: 'POST', body: { text: input.value.trim() } });
          input.value = '';
          await ctx.reload();
        }),
      }, '添加备注')
    : null;
  return el(
    'div',
    { class: 'card notes' },
    el('h3', {}, '内部备注'),
    list.map((n) => el('div', { class: 'note' }, el('div', { class: 'meta' }, (n.actorName || n.data.by || '同事') + ' · ' + time(n.at)), String(n.data.text || ''))),
    input,
    add ? el('div', { class: 'bar' }, el('span', { class: 'spacer' }), add) : null,
  );
}

function history(c, ctx) {
  const items = c.packet.events.filter((e) => e.type !== 'note');
  if (!items.length) return null;
  return el(
    'div',
    { class: 'card' },
    el('h3', {}, '处理记录'),
    el('ol', { class: 'timeline', id: 'history' }, items.map((e) => el('li', {}, historyLine(e, ctx.labels)))),
  );
}

const DRAFTS = ['reply-text', 'note-text', 'reject-reason', 'approve-note'];

/** Renders the case; live refreshes keep drafts, the caret and the transcript's scroll position. */
export function renderCase(root, c, ctx) {
  const sameCase = root.dataset.caseId === c.id;
  const active = document.activeElement;
  const drafts = DRAFTS.map((id) => {
    const node = document.getElementById(id);
    return node && sameCase ? { id, value: node.value, focused: node === active, start: node.selectionStart, end: node.selectionEnd } : null;
  });
  const log = document.getElementById('transcript');
  const atBottom = !log || !sameCase || log.scrollHeight - log.scrollTop - log.clientHeight < 60;
  clear(root, header(c, ctx), reviewCard(c, ctx), facts(c, ctx), relatedCard(c, ctx), evidence(c), transcript(c), composer(c, ctx), notes(c, ctx), history(c, ctx));
  root.dataset.caseId = c.id;
  for (const d of drafts) {
    const node = d && document.getElementById(d.id);
    if (!node) continue;
    node.value = d.value;
    if (d.focused) {
      node.focus();
      node.setSelectionRange(d.start, d.end);
    }
  }
  const box = document.getElementById('transcript');
  if (box && atBottom) box.scrollTop = box.scrollHeight;
}
