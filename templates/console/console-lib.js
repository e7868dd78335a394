/* global document, fetch, location, setTimeout, clearTimeout */
// Small helpers for the console: DOM building (text only, never HTML from data), the API client, labels.

/** Builds an element; string/number children become text nodes, so data is never parsed as HTML. */
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'style') Object.assign(node.style, value); // CSSOM, which the page's CSP allows (style attributes it would not)
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const ERROR_TEXT = {
  not_your_case: '该工单已分配给其他客服',
  already_assigned: '该工单已被其他客服接手',
  not_assigned: '请先接手该工单',
  not_claimable: '该工单当前不能接手',
  already_resolved: '该工单已经解决',
  not_resolvable: '顾客仍在描述问题，暂不能解决',
  not_handed_over: '该工单当前不在人工处理中',
  not_assignable: '该工单当前不能转派',
  case_not_found: '工单不存在',
  empty_reply: '回复内容不能为空',
  reply_too_long: '回复内容过长',
  forbidden: '没有权限执行该操作',
  supervisor_only: '只有主管或管理员可以转派',
  username_taken: '用户名已存在',
  last_admin: '至少需要保留一个管理员',
  task_done: '该任务已完成',
  nothing_changed: '没有需要修改的内容',
  not_editable: '该工单当前不能修改',
  case_changed: '工单刚被他人修改，请刷新后重试',
  invalid_body: '填写的内容不完整或格式不对',
  already_decided: '该工单已经审核过了，请刷新查看结果',
  illegal_transition: '工单当前的状态不允许这个操作，请刷新后再看',
  no_resolution: '请至少选择一个处理方案',
  empty_reason: '请填写驳回原因，顾客会看到它',
  reason_too_long: '驳回原因太长，请精简到 500 字以内',
  step_field_missing: '这一步还缺必填内容（单号、金额或地址）',
  unknown_step: '不认识的执行步骤',
};

/** Calls the API with the console header; a lost session goes back to the login page. */
export async function api(path, options = {}) {
  const init = { method: options.method || 'GET', credentials: 'same-origin', headers: { 'x-requested-with': 'console' } };
  if (options.body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const res = await fetch(path, init);
  if (res.status === 401) {
    location.assign('/console/login?next=' + encodeURIComponent(location.pathname + location.search));
    throw new ApiError(401, 'unauthorized', '登录已过期');
  }
  if (res.status === 204) return null;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const code = (data.error && data.error.code) || 'error';
    throw new ApiError(res.status, code, ERROR_TEXT[code] || (data.error && data.error.message) || '请求失败（' + res.status + '）');
  }
  return data;
}

let toastTimer = null;
export function toast(message, kind) {
  let box = document.getElementById('toast');
  if (!box) {
    box = el('div', { id: 'toast', role: 'status' });
    document.body.appendChild(box);
  }
  box.className = 'toast' + (kind === 'error' ? ' error' : '');
  box.textContent = message;
  box.classList.remove('hidden');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => box.classList.add('hidden'), 4000);
}

/** Runs an action, showing its error as a toast; resolves to undefined on failure. */
export async function attempt(action) {
  try {
    return await action();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) toast(err.message || '操作失败', 'error');
    return undefined;
  }
}

export const STATUS = {
  collecting: '收集中', open: '待审核', escalated: '待接手', assigned: '处理中', approved: '已同意', rejected: '已驳回', executing: '执行中', resolved: '已解决', closed: '已关闭',
};
export const CHANNEL = { wecom: '企业微信', douyin: '抖音', web: '网页' };
export const ROLE = { agent: '客服', supervisor: '主管', admin: '管理员', manager: '运营经理' };
export const SLA = { first: '首次响应', next: '再次响应', resolution: '解决时限', decision: '审核决定' };
export const MOOD = { angry: '情绪激动', negative: '不满', neutral: '平稳', positive: '友好' };
export const WHO = { customer: '顾客', bot: '机器人', agent: '客服', system: '系统通知' };
export const DELIVERY = { pending: '发送中…', held: '平台发送窗口已关闭，消息暂存待发', failed: '发送失败' };
export const EVENT = {
  approved: '同意方案', rejected: '驳回申请', step: '记录执行步骤', customer_correction: '顾客更正信息',
  created: '创建工单', escalated: '转人工', assigned: '分配', unassigned: '退回队列', reply: '客服回复', note: '内部备注', resolved: '已解决',
  handed_back: '交还机器人', reopened: '重新打开', sla_breached: 'SLA 超时', survey_sent: '发送满意度调查', csat: '顾客评分', task_done: '完成待办',
  edited: '修改工单', doudian_after_sale: '抖店售后状态更新', doudian_decision_kept: '抖店处理结果已记录（工单状态不变）', followup_task: '回访转为人工待办', closed: '已关闭',
  followup_sent: '发送售后回访', followup_answered: '顾客回复问题已解决', showcase: '顾客同意展示评价', showcase_declined: '顾客不同意展示评价',
  care_sent: '发送物流关怀', parcel_arrived: '顾客确认已收到包裹', parcel_not_arrived: '顾客反馈仍未收到包裹',
};
export const TASK = { survey: '满意度调查', followup: '售后回访', logistics_care: '物流关怀', case_step: '执行进度通知' };
export const PRIORITY = { 1: 'P1 紧急', 2: 'P2 一般', 3: 'P3 较低' };
export const FIELD = { category: '问题类型', priority: '优先级', resolution: '处理方案' };

/** "3分钟", "1小时20分", "2天3小时". */
export function duration(ms) {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60000));
  if (minutes < 60) return minutes + '分钟';
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours + '小时' + (minutes % 60 ? (minutes % 60) + '分' : '');
  return Math.floor(hours / 24) + '天' + (hours % 24 ? (hours % 24) + '小时' : '');
}

export function time(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** A countdown element that the app's one-second ticker keeps current (data-due). */
export function slaBadge(type, dueIso) {
  return el('span', { class: 'sla', dataset: { due: dueIso, label: SLA[type] || type } });
}

export function updateCountdowns(root, now) {
  for (const node of root.querySelectorAll('.sla[data-due]')) {
    const left = Date.parse(node.dataset.due) - now;
    node.textContent = node.dataset.label + (left < 0 ? ' 已超时 ' + duration(left) : ' 剩余 ' + duration(left));
    node.classList.toggle('overdue', left < 0);
    node.classList.toggle('soon', left >= 0 && left < 5 * 60000);
  }
}

/** Fills {agentName}-style variables; unknown ones stay visible so the agent notices them. */
export function fill(text, vars) {
  return text.replace(/\{(\w+)\}/g, (m, name) => (vars[name] === undefined || vars[name] === null || vars[name] === '' ? m : String(vars[name])));
}
