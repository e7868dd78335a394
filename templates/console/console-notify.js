/* global document, window, Notification, setInterval, clearInterval */
// Telling the agent something new arrived while they look elsewhere: a browser notification (when allowed) and
// a flashing tab title until the page is looked at again. "New" = a case newly mine or newly waiting in the queue
// I can take, or more unread shopper messages in a case than at the last look.

const BASE_TITLE = document.title;
let flashing = null;

function stopFlash() {
  if (flashing) clearInterval(flashing);
  flashing = null;
  document.title = BASE_TITLE;
}

function flash(text) {
  stopFlash();
  let on = false;
  flashing = setInterval(() => {
    on = !on;
    document.title = on ? '【' + text + '】' + BASE_TITLE : BASE_TITLE;
  }, 1000);
  document.title = '【' + text + '】' + BASE_TITLE;
}

window.addEventListener('focus', stopFlash);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && document.hasFocus()) stopFlash();
});

/** Asks once, on the agent's first click (browsers allow the prompt only after a user gesture). */
export function askPermissionOnce() {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  document.addEventListener('click', () => Notification.requestPermission().catch(() => undefined), { once: true });
}

/**
 * What changed between two looks at the lists: a case newly mine (new, taken from the queue for me, or handed to
 * me), a case newly waiting in the queue (for people who can take it), more unread shopper messages. Cases other
 * people hold, which supervisors see in 「全部」, are not news.
 */
export function news(before, after, opts) {
  if (!before) return [];
  const old = new Map(before.map((i) => [i.id, i]));
  const out = [];
  for (const item of after) {
    const was = old.get(item.id);
    if (item.mine && !(was && was.mine)) out.push({ item, text: '新工单 ' + item.ref + ' 已分配给您' });
    else if (opts.canTake && item.status === 'escalated' && !(was && was.status === 'escalated')) {
      out.push({ item, text: (was ? '工单 ' : '新工单 ') + item.ref + (was ? ' 回到待接手队列' : ' 等待接手') });
    } else if (was && item.unread > was.unread) out.push({ item, text: '工单 ' + item.ref + ' 有 ' + item.unread + ' 条未读顾客消息' });
  }
  return out;
}

/** Shows the news: one notification per case, and the title flashes while the page is not looked at. */
export function announce(items, onOpen) {
  if (!items.length) return;
  const seenNow = document.visibilityState === 'visible' && document.hasFocus();
  if (!seenNow) flash(items.length === 1 ? items[0].text : items.length + ' 条新消息');
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || seenNow) return;
  for (const { item, text } of items.slice(0, 3)) {
    const n = new Notification('售后助手', { body: text, tag: 'case-' + item.id });
    n.onclick = () => {
      window.focus();
      onOpen(item.id);
      n.close();
    };
  }
}
