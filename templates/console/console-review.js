// The review and execution card of a case (issue #14): 同意 with the resolutions granted, 驳回 with the reason the
// shopper reads, then each execution step with the fields it needs, and the decision and steps with their times.
// The API's rules live in src/cases/execution.ts; this card only offers what `actions` allows.
import { api, attempt, clear, el, time, toast } from './console-lib.js';

/** The fields each step kind needs (src/cases/execution.ts checkStep): the API refuses a step without them. */
const STEP_FIELDS = {
  return_address: ['address'],
  return_tracking: ['carrier', 'trackingNo'],
  goods_received: [],
  reship_tracking: ['carrier', 'trackingNo'],
  refund_issued: ['amountYuan'],
  compensation_paid: ['amountYuan'],
};
const FIELD_INPUT = {
  address: () => el('input', { id: 'step-address', placeholder: '退货地址（收件人、电话、详细地址）', maxlength: 200 }),
  carrier: () => el('input', { id: 'step-carrier', placeholder: '快递公司（如 顺丰）', maxlength: 20 }),
  trackingNo: () => el('input', { id: 'step-tracking', placeholder: '快递单号（字母、数字）', maxlength: 40 }),
  amountYuan: () => el('input', { id: 'step-amount', type: 'number', min: '0.01', step: '0.01', placeholder: '金额（元）' }),
};
const REQUIRED_TEXT = { address: '请填写退货地址', trackingNo: '请填写快递单号', amountYuan: '请填写大于 0 的金额' };

/** What the agent typed or ticked, per case, so a live refresh (a new message) does not wipe a half-filled form. */
const typed = new Map();
const draft = (c) => typed.get(c.id) || typed.set(c.id, { resolutions: null, kind: null, fields: {} }).get(c.id);

const post = (c, path, body) => api('/api/cases/' + encodeURIComponent(c.id) + path, { method: 'POST', body });

/** 同意: at least one resolution ticked (several may be granted, e.g. 换货 + 补偿), an optional note. */
function approveForm(c, ctx) {
  const offered = Object.entries(ctx.labels.resolution || {}).filter(([code]) => code !== 'none');
  const boxes = offered.map(([code, label]) => {
    const kept = draft(c).resolutions;
    const box = el('input', { type: 'checkbox', value: code, checked: kept ? kept.includes(code) : code === c.resolution, dataset: { resolution: code } });
    box.addEventListener('change', () => (draft(c).resolutions = boxes.filter((b) => b.box.checked).map((b) => b.code)));
    return { code, box, node: el('label', { class: 'check' }, box, ' ' + label) };
  });
  const note = el('input', { id: 'approve-note', placeholder: '备注（选填，只记入处理记录）', maxlength: 2000 });
  const approve = () =>
    attempt(async () => {
      const resolutions = boxes.filter((b) => b.box.checked).map((b) => b.code);
      if (!resolutions.length) return toast('请至少选择一个处理方案', 'error');
      await post(c, '/approve', { resolutions, note: note.value.trim() || null });
      typed.delete(c.id);
      toast('已同意，已通知顾客');
      await ctx.reload();
    });
  return el(
    'div',
    { class: 'inline-form', id: 'approve-form' },
    el('span', {}, '同意方案：'),
    el('span', { class: 'checks', id: 'approve-resolutions' }, boxes.map((b) => b.node)),
    note,
    el('button', { type: 'button', class: 'btn success', id: 'btn-approve', onclick: approve }, '同意'),
  );
}

/** 驳回: the reason is required, and the shopper reads it word for word. */
function rejectForm(c, ctx) {
  const reason = el('input', { id: 'reject-reason', placeholder: '驳回原因（必填，顾客会看到）', maxlength: 500 });
  const reject = () =>
    attempt(async () => {
      if (!reason.value.trim()) {
        toast('请填写驳回原因，顾客会看到它', 'error');
        return reason.focus();
      }
      await post(c, '/reject', { reason: reason.value.trim() });
      toast('已驳回，已把原因发给顾客');
      await ctx.reload();
    });
  return el('div', { class: 'inline-form', id: 'reject-form' }, reason, el('button', { type: 'button', class: 'btn danger', id: 'btn-reject', onclick: reject }, '驳回'));
}

/** One step: pick its kind, fill what that kind needs, record it (the client id makes a retry harmless). */
function stepForm(c, ctx) {
  const kinds = Object.keys(STEP_FIELDS);
  const memo = draft(c);
  const kind = el('select', { id: 'step-kind', 'aria-label': '执行步骤' }, kinds.map((k) => el('option', { value: k, selected: k === memo.kind }, (ctx.labels.step || {})[k] || '其他步骤')));
  const slot = el('span', { class: 'step-fields' });
  let inputs = {};
  const paint = () => {
    memo.kind = kind.value;
    inputs = Object.fromEntries(
      STEP_FIELDS[kind.value].map((f) => {
        const input = FIELD_INPUT[f]();
        input.value = memo.fields[f] || '';
        input.addEventListener('input', () => (memo.fields[f] = input.value));
        return [f, input];
      }),
    );
    clear(slot, Object.values(inputs));
  };
  kind.addEventListener('change', paint);
  paint();
  // One id per step being typed: a retried click sends the same one, and the API records the step once.
  memo.clientId = memo.clientId || ctx.newId();
  const clientId = memo.clientId;
  const record = () =>
    attempt(async () => {
      const body = { kind: kind.value, clientId };
      for (const [field, input] of Object.entries(inputs)) {
        const value = input.value.trim();
        if (field === 'amountYuan') {
          const amount = Number(value);
          if (!(amount > 0)) return toast(REQUIRED_TEXT.amountYuan, 'error');
          body.amountYuan = amount;
        } else if (value) body[field] = value;
        else if (REQUIRED_TEXT[field]) return toast(REQUIRED_TEXT[field], 'error');
      }
      await post(c, '/steps', body);
      typed.delete(c.id);
      toast('已记录，已通知顾客');
      await ctx.reload();
    });
  return el('div', { class: 'inline-form', id: 'step-form' }, kind, slot, el('button', { type: 'button', class: 'btn primary', id: 'btn-step', onclick: record }, '记录这一步'));
}

function decisionLine(d, labels) {
  if (!d) return null;
  const names = d.resolutions.map((r) => (labels.resolution || {})[r] || '其他方案').join(' + ');
  const text = d.verdict === 'approved' ? '已同意：' + names + (d.reason ? '（备注：' + d.reason + '）' : '') : '已驳回，原因：' + (d.reason || '');
  const where = d.by === 'doudian' ? '（商家在抖店后台处理）' : '';
  return el('div', { class: 'decision ' + d.verdict, id: 'decision' }, time(d.at) + ' ' + text + where);
}

function stepLine(st, labels) {
  const parts = [(labels.step || {})[st.kind] || '其他步骤'];
  if (st.trackingNo) parts.push((st.carrier ? st.carrier + ' ' : '') + '单号 ' + st.trackingNo);
  if (st.amountYuan !== undefined) parts.push(st.amountYuan + ' 元');
  if (st.address) parts.push(st.address);
  if (st.by === 'bot') parts.push('机器人记录');
  if (st.by === 'doudian') parts.push('抖店同步');
  return el('li', { dataset: { kind: st.kind } }, time(st.at) + ' ' + parts.join(' · '));
}

/** The card: shown once a case is up for review or decided; empty (null) for a case still with the bot. */
export function reviewCard(c, ctx) {
  const a = c.actions;
  const steps = c.steps || [];
  if (!a.approve && !a.reject && !a.step && !c.decision && !steps.length) return null;
  const waiting = (a.approve || a.reject) && !c.decision;
  return el(
    'div',
    { class: 'card review', id: 'review' },
    el('h3', {}, waiting ? '审核（待决定）' : '审核与执行'),
    decisionLine(c.decision, ctx.labels),
    a.approve ? approveForm(c, ctx) : null,
    a.reject ? rejectForm(c, ctx) : null,
    steps.length ? el('ol', { class: 'timeline', id: 'steps' }, steps.map((st) => stepLine(st, ctx.labels))) : null,
    a.step ? stepForm(c, ctx) : null,
  );
}
