/* global document, location, URLSearchParams, fetch */
// Signs in with JSON and the console header (the server refuses cross-site posts), then goes where the user was headed.
const form = document.getElementById('login-form');
const errorBox = document.getElementById('login-error');
const submit = document.getElementById('login-submit');

const MESSAGES = {
  invalid_credentials: '用户名或密码错误',
  too_many_attempts: '登录失败次数过多，请稍后再试',
  invalid_body: '请填写用户名和密码',
};

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  errorBox.textContent = '';
  const username = document.getElementById('username').value.trim();
  const password = document.getElementById('password').value;
  if (!username || !password) {
    errorBox.textContent = MESSAGES.invalid_body;
    return;
  }
  submit.disabled = true;
  try {
    const next = new URLSearchParams(location.search).get('next') || '/console';
    const res = await fetch('/console/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'console' },
      body: JSON.stringify({ username, password, next }),
    });
    const data = await res.json().catch(() => ({}));
    if (res.ok) {
      location.assign(data.next || '/console');
      return;
    }
    const code = data.error && data.error.code;
    let text = MESSAGES[code] || '登录失败（' + res.status + '）';
    const wait = Number(res.headers.get('retry-after'));
    if (res.status === 429 && wait > 0) text += '，约 ' + Math.ceil(wait / 60) + ' 分钟后可再试';
    errorBox.textContent = text;
  } catch {
    errorBox.textContent = '网络异常，请稍后重试';
  } finally {
    submit.disabled = false;
  }
});
