/* global document */
// Surge mode in the console: while a livestream peak is on, a banner says since when and how fast shoppers write,
// and shows the one up-front answer every new conversation hears first; supervisors, managers and admins set it
// here (PUT /api/surge/answer). The page reloads it on the stream's `surge` hint and with every list refresh.
import { api, attempt, clear, el, time, toast } from './console-lib.js';

const SETTERS = ['supervisor', 'manager', 'admin'];
const ANSWER_MAX = 300;

function rateText(v) {
  return '咨询高峰中：自 ' + time(v.since) + ' 起，最近一分钟进线 ' + v.perMinute + ' 条（平时每分钟约 ' + v.usualPerMinute + ' 条）' + (v.endsAt ? '，进线回落后约 ' + time(v.endsAt) + ' 自动结束' : '');
}

function answerText(v) {
  return v.answer ? '高峰统一答复（每位顾客的第一条消息先收到）：' + v.answer : '尚未设置高峰统一答复，顾客只会收到常规回复';
}

function answerForm(v, onSaved) {
  const input = el('input', { id: 'surge-answer-input', maxlength: ANSWER_MAX, value: v.answer || '', placeholder: '例如：直播间的订单 48 小时内发货，请耐心等待', 'aria-label': '高峰统一答复' });
  const save = () => attempt(async () => {
    const res = await api('/api/surge/answer', { method: 'PUT', body: { text: input.value.trim() } });
    toast(res.answer ? '高峰统一答复已保存' : '高峰统一答复已清除');
    await onSaved();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') save();
  });
  return el('div', { class: 'surge-form' }, input, el('button', { type: 'button', class: 'btn small primary', id: 'surge-answer-save', onclick: save }, '保存答复'));
}

/** Fetches the surge and shows or hides the banner; the answer box keeps what someone is typing. */
export async function showSurge(root, role) {
  const v = await api('/api/surge');
  if (!v.active) {
    root.classList.add('hidden');
    clear(root);
    return;
  }
  root.classList.remove('hidden');
  const rate = el('div', { id: 'surge-rate' }, rateText(v));
  const answer = el('div', { id: 'surge-answer', class: v.answer ? '' : 'missing' }, answerText(v));
  const input = document.getElementById('surge-answer-input');
  if (input && input === document.activeElement) {
    // Someone is typing the answer: only the words around the box change.
    root.replaceChild(rate, document.getElementById('surge-rate'));
    root.replaceChild(answer, document.getElementById('surge-answer'));
    return;
  }
  clear(root, rate, answer, SETTERS.includes(role) ? answerForm(v, () => showSurge(root, role)) : null);
}
