// Supervisor views: the team's load and presence; for admins, console accounts (create, change, reset password).
import { ROLE, api, attempt, clear, el, toast } from './console-lib.js';

const SKILLS = { web: '网页', wecom: '企业微信', douyin: '抖音', quality: '质量', logistics: '物流', wrong_item: '错发漏发', false_ad: '虚假宣传', service: '服务', no_fault_return: '无理由退换' };

export async function renderTeam(root) {
  const team = await attempt(() => api('/api/team'));
  if (!team) return;
  const q = team.queue;
  clear(
    root,
    el(
      'div',
      { class: 'card' },
      el('h3', {}, '待处理队列'),
      el('div', {}, '等待中 ' + q.waiting + ' 件（P1 ' + q.byPriority['1'] + ' · P2 ' + q.byPriority['2'] + ' · P3 ' + q.byPriority['3'] + '）'),
    ),
    el(
      'div',
      { class: 'card' },
      el('h3', {}, '团队负载'),
      el(
        'table',
        { class: 'grid', id: 'team-table' },
        el('thead', {}, el('tr', {}, ['成员', '角色', '状态', '负载', '技能'].map((h) => el('th', {}, h)))),
        el(
          'tbody',
          {},
          team.members.map((m) => {
            const pct = m.capacity ? Math.min(100, Math.round((m.load / m.capacity) * 100)) : 100;
            return el(
              'tr',
              {},
              el('td', {}, m.displayName, el('div', { class: 'muted' }, m.username)),
              el('td', {}, ROLE[m.role] || m.role),
              el('td', {}, el('span', { class: 'dot' + (m.online ? ' on' : '') }), m.online ? '在线' : '离开'),
              el('td', {}, el('span', { class: 'load' }, el('span', { class: pct >= 100 ? 'full' : '', style: { width: pct + '%' } })), m.load + ' / ' + m.capacity),
              el('td', {}, m.skills.length ? m.skills.map((k) => SKILLS[k] || k).join('、') : '全部'),
            );
          }),
        ),
      ),
    ),
  );
}

function userForm(user, done) {
  const input = (name, attrs) => el('input', { name, ...attrs });
  const username = user ? null : input('username', { placeholder: '用户名（字母数字）', maxlength: 32, required: true });
  const displayName = input('displayName', { placeholder: '显示名称', value: user ? user.displayName : '', maxlength: 40 });
  const role = el('select', { name: 'role' }, Object.entries(ROLE).map(([v, label]) => el('option', { value: v, selected: user ? user.role === v : v === 'agent' }, label)));
  const capacity = input('capacity', { type: 'number', min: 0, max: 200, value: String(user ? user.capacity : 5), style: { minWidth: '80px', width: '80px' } });
  const skills = input('skills', { placeholder: '技能（逗号分隔，如 web,quality；留空=全部）', value: user ? user.skills.join(',') : '' });
  const wecom = input('wecomUserId', { placeholder: '企业微信 userid（选填）', value: user && user.wecomUserId ? user.wecomUserId : '' });
  const password = input('password', { type: 'password', placeholder: user ? '新密码（留空不修改）' : '初始密码（至少8位）', autocomplete: 'new-password' });
  const save = el('button', { type: 'button', class: 'btn primary' }, user ? '保存' : '创建');
  save.addEventListener('click', () =>
    attempt(async () => {
      const body = {
        displayName: displayName.value.trim(),
        role: role.value,
        capacity: Number(capacity.value),
        skills: skills.value.split(/[,，\s]+/).filter(Boolean),
        wecomUserId: wecom.value.trim() || null,
      };
      if (password.value) body.password = password.value;
      if (user) await api('/api/users/' + encodeURIComponent(user.id), { method: 'PATCH', body });
      else await api('/api/users', { method: 'POST', body: { ...body, username: username.value.trim(), password: password.value } });
      toast(user ? '已保存' : '账号已创建');
      done();
    }),
  );
  return el('div', { class: 'inline-form' }, username, displayName, role, capacity, skills, wecom, password, save);
}

export async function renderUsers(root) {
  const data = await attempt(() => api('/api/users'));
  if (!data) return;
  const again = () => renderUsers(root);
  const editSlot = el('div');
  clear(
    root,
    el('div', { class: 'card' }, el('h3', {}, '新建账号'), userForm(null, again)),
    el(
      'div',
      { class: 'card' },
      el('h3', {}, '全部账号'),
      el(
        'table',
        { class: 'grid' },
        el('thead', {}, el('tr', {}, ['用户名', '名称', '角色', '接待上限', '状态', ''].map((h) => el('th', {}, h)))),
        el(
          'tbody',
          {},
          data.items.map((u) =>
            el(
              'tr',
              {},
              el('td', {}, u.username),
              el('td', {}, u.displayName),
              el('td', {}, ROLE[u.role] || u.role),
              el('td', {}, String(u.capacity)),
              el('td', {}, u.online ? '在线' : '离开'),
              el('td', {}, el('button', { type: 'button', class: 'btn small', onclick: () => clear(editSlot, el('h3', {}, '修改 ' + u.username), userForm(u, again)) }, '修改')),
            ),
          ),
        ),
      ),
      editSlot,
    ),
  );
}
