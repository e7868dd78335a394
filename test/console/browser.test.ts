/**
 * The console in a real headless Chromium (Debian's, driven by playwright-core): a shopper on the web
 * simulator sends a photo and asks for a person; the assigner hands the case to the online agent; the agent
 * logs in, sees it in the inbox with its evidence, replies (the shopper receives it), sees the shopper's
 * answer arrive live, and resolves. The bot says nothing between the hand-over notice and the resolution.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTranscript } from '../../src/pipeline/transcript.js';
import { WebCustomer } from '../dialogue/web-customer.js';
import { waitFor } from '../helpers/harness.js';
import { API_TOKEN, PASSWORD, client, makeCase, makeUser, startConsole, type ConsoleHarness } from './console-harness.js';
import { caseRef } from '../../src/handoff/refs.js';
import { noteInbound } from '../../src/surge/state.js';

/** The little of the page's globals the checks use (the project compiles without the DOM library). */
interface PageGlobals {
  document: { title: string; querySelector(selector: string): { complete: boolean; naturalWidth: number } | null };
  __xss?: unknown;
}


let c: ConsoleHarness;
let browser: Browser;

/** A page logged in as this person on the app as production builds it (console, API, dashboard, improvements). */
async function loggedIn(username: string, page?: Page): Promise<{ page: Page; errors: string[] }> {
  const p = page ?? (await browser.newPage());
  const errors: string[] = [];
  p.on('pageerror', (err) => errors.push(err.message));
  await p.goto(`${c.h.baseUrl}/console/login`);
  await p.fill('#username', username);
  await p.fill('#password', PASSWORD);
  await p.click('#login-submit');
  await p.waitForURL(`${c.h.baseUrl}/console`);
  return { page: p, errors };
}

/** A livestream peak: messages counted the way the bot chain counts them, until the surge is on. */
let peak = 0;
async function surgeOn(): Promise<void> {
  const cfg = c.h.services.data.care.surge;
  const book = c.h.services.data.templates;
  while (!(await noteInbound(c.h.services, `peak-${peak}`, { cfg, book })).active) peak += 1;
}

beforeAll(async () => {
  c = await startConsole();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await c?.stop();
});

describe('agent console in Chromium', () => {
  it('an agent takes an escalated case with a photo, replies, and resolves it while the bot stays silent', async () => {
    const { store } = c.h.services;
    const agent = await makeUser(c.h, { online: true, name: 'zhangsan' });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) pageErrors.push(msg.text());
    });

    // Login: the console sends an unauthenticated browser to the login page and back.
    await page.goto(`${c.url}/console`);
    expect(page.url()).toBe(`${c.url}/console/login?next=%2Fconsole`);
    await page.fill('#username', agent.username);
    await page.fill('#password', 'wrong password');
    await page.click('#login-submit');
    await page.locator('#login-error', { hasText: '用户名或密码错误' }).waitFor();
    await page.fill('#password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForURL(`${c.url}/console`);
    await page.locator('#me', { hasText: agent.displayName }).waitFor();

    // The shopper: a problem, a photo, then 「转人工」.
    const shopper = new WebCustomer(c.h, 'browser-shopper-1');
    await shopper.say('衣服开线了，线头都散了');
    await shopper.photo();
    const notice = await shopper.say('转人工');
    expect(notice.text).toContain('人工');
    const conv = await waitFor(() => store.findConversation('web', shopper.visitorId));
    const kase = await waitFor(async () => (await store.listCases({ conversationId: conv.id })).items.find((k) => k.status === 'assigned' && k.assignee === agent.id), {
      what: 'the case assigned to the online agent',
    });
    expect(kase.evidence).toHaveLength(1);

    // The inbox shows it (live), with its evidence; opening it shows the packet.
    await page.click('.tabs button[data-tab="mine"]');
    const item = page.locator(`.inbox-item[data-id="${kase.id}"]`);
    await item.waitFor({ timeout: 15_000 });
    await item.click();
    await page.locator('#case-summary', { hasText: '开线' }).waitFor();
    // The thumbnail really loaded (a broken image has no natural width). Functions, not strings: the page's CSP forbids eval.
    await page.waitForFunction(() => {
      const img = (globalThis as unknown as PageGlobals).document.querySelector('#evidence img');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await page.locator('#transcript .msg.customer', { hasText: '转人工' }).waitFor();

    // The reply reaches the shopper through the simulator.
    const words = '您好，我是售后客服，您的照片我已经看到了，马上为您处理～';
    await page.fill('#reply-text', words);
    await page.click('#reply-send');
    // The shopper sees who answers: the agent's display name before the words.
    await waitFor(async () => (await shopper.transcript()).some((m) => m.from === 'agent' && m.text === `【客服${agent.displayName}】${words}` && m.status === 'sent'), { what: 'the signed reply at the shopper' });
    await page.locator('#transcript .msg.agent', { hasText: '马上为您处理' }).waitFor();

    // The shopper answers; the console shows it without a reload, and the bot does not answer.
    await fetch(`${c.h.baseUrl}/simulator/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `asa_visitor=${shopper.visitorId}` },
      body: JSON.stringify({ visitorId: shopper.visitorId, clientMsgId: 'after-agent', text: '好的，那我等你们消息<img src=x onerror="window.__xss=1">' }),
    });
    // Customer words are shown as text, never parsed as HTML.
    await page.locator('#transcript .msg.customer', { hasText: '那我等你们消息<img src=x' }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__xss)).toBeUndefined();

    await page.click('#btn-resolve');
    await page.fill('#resolve-note', '同意退货退款');
    await page.click('#resolve-confirm');
    await page.locator('#case-status', { hasText: '已解决' }).waitFor();

    const resolved = await store.getCase(kase.id);
    expect(resolved?.status).toBe('resolved');
    const resolvedAt = String(resolved?.data.resolvedAt);
    const transcript = await buildTranscript(store, conv.id);
    const handover = transcript.filter((t) => (t.from === 'bot' || t.from === 'system') && t.text === notice.text).pop();
    expect(handover).toBeDefined();
    const between = transcript.filter((t) => t.at > (handover?.at ?? '') && t.at <= resolvedAt);
    expect(between.filter((t) => t.from === 'bot' || t.from === 'system')).toEqual([]);
    expect(between.map((t) => t.from)).toEqual(['agent', 'customer']);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
  it('an agent finds a case by the phone the shopper wrote, filters by priority, sees unread lines, uses / canned replies and corrects the case with a reason', async () => {
    const { store } = c.h.services;
    const agent = await makeUser(c.h, { name: 'lisi' });
    const slow = await makeCase(c.h, { assignee: agent.id, priority: 3, description: '鞋子掉色' });
    const urgent = await makeCase(c.h, { assignee: agent.id, priority: 1, description: '收到的是空盒' });
    const res = await fetch(`${c.h.baseUrl}/simulator/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `asa_visitor=${slow.customerId}` },
      body: JSON.stringify({ visitorId: slow.customerId, clientMsgId: 'phone-1', text: '我的手机 137 2222-3333，麻烦尽快联系' }),
    });
    expect(res.status).toBe(202);
    await waitFor(async () => (await store.listInbound(slow.conversationId, 50)).length > 0, { what: 'the shopper line stored' });

    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${c.url}/console/login`);
    await page.fill('#username', agent.username);
    await page.fill('#password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForURL(`${c.url}/console`);

    // My cases show the unread shopper line, the 「新」 mark and the newest line.
    await page.click('.tabs button[data-tab="mine"]');
    const slowItem = page.locator(`#list .inbox-item[data-id="${slow.id}"]`);
    await slowItem.locator('.unread', { hasText: '1' }).waitFor();
    await slowItem.locator('.badge.new', { hasText: '新' }).waitFor();
    await slowItem.locator('.last-message').waitFor();

    // Search by the full phone number, written without spaces: only the case where the shopper gave it.
    await page.fill('#search-q', '13722223333');
    await page.click('#search-submit');
    await page.locator('.tabs button[data-tab="search"].active').waitFor();
    await page.locator(`#list .inbox-item[data-id="${slow.id}"]`).waitFor();
    expect(await page.locator('#list .inbox-item').count()).toBe(1);
    // Filter: priority 1 alone lists the urgent case, not the slow one.
    await page.click('#search-clear');
    await page.selectOption('#filter-priority', '1');
    // The cleared bar shows the usual list (both cases) until the filtered answer replaces it.
    await page.locator('.tabs button[data-tab="search"].active').waitFor();
    await page.locator(`#list .inbox-item[data-id="${slow.id}"]`).waitFor({ state: 'detached' });
    expect(await page.locator(`#list .inbox-item[data-id="${urgent.id}"]`).count()).toBe(1);
    await page.selectOption('#filter-priority', '');
    await page.fill('#search-q', caseRef(slow.id));
    await page.click('#search-submit');

    // Opening the case reads it: the unread mark goes, on the page and on the server.
    await page.click(`#list .inbox-item[data-id="${slow.id}"]`);
    await page.locator('#transcript .msg.customer', { hasText: '137 2222-3333' }).waitFor();
    await page.locator(`#list .inbox-item[data-id="${slow.id}"] .unread`).waitFor({ state: 'detached' });
    expect(await store.getSetting(`console.read.${agent.id}.${slow.conversationId}`)).not.toBeNull();

    // `/` opens the canned replies; typing narrows them, Enter puts the filled text in the reply box.
    await page.click('#reply-text');
    await page.keyboard.type('/接手');
    await page.locator('#slash-menu li', { hasText: '接手问候' }).waitFor();
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#reply-text')).toBe(`您好，我是售后客服${agent.displayName}，您的情况我已经了解了，马上为您处理～`);
    await page.locator('#slash-menu').waitFor({ state: 'hidden' });

    // A correction needs a reason; it lands in the history in words.
    // 开改进单 is for managers, supervisors and admins, not agents.
    expect(await page.locator('#btn-improve').count()).toBe(0);
    await page.click('#btn-edit');
    await page.selectOption('#edit-priority', '1');
    await page.selectOption('#edit-category', 'logistics');
    await page.click('#edit-confirm');
    await page.locator('#toast', { hasText: '请填写修改原因' }).waitFor();
    expect((await store.getCase(slow.id))?.priority).toBe(3);
    await page.fill('#edit-reason', '顾客补充说是运输中压坏');
    await page.click('#edit-confirm');
    await page.locator('#history li', { hasText: '原因：顾客补充说是运输中压坏' }).waitFor();
    const line = await page.locator('#history li', { hasText: '修改工单' }).innerText();
    expect(line).toContain('优先级 P3 较低 → P1 紧急');
    expect(line).toContain('问题类型 商品质量问题 → 物流/运输问题');
    expect(await store.getCase(slow.id)).toMatchObject({ priority: 1, category: 'logistics' });
    // No raw code anywhere on the page.
    expect(await page.locator('body').innerText()).not.toMatch(/\b(quality|logistics|low_score|member:vip|by the customer|edited)\b/);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows a supervisor the surge live, takes their up-front answer, and opens an improvement item from a case', async () => {
    const { store } = c.h.services;
    const boss = await makeUser(c.h, { role: 'supervisor' });
    const k = await makeCase(c.h, { description: '直播间买的杯子漏水' });
    const { page, errors } = await loggedIn(boss.username);
    await page.locator('#me', { hasText: boss.displayName }).waitFor();
    expect(await page.locator('#surge').isHidden()).toBe(true);

    await surgeOn();
    // The stream's hint brings the banner without a reload.
    await page.locator('#surge-rate', { hasText: '咨询高峰中' }).waitFor({ timeout: 10_000 });
    await page.locator('#surge-answer.missing', { hasText: '尚未设置高峰统一答复' }).waitFor();
    await page.fill('#surge-answer-input', '直播间的订单 48 小时内发货');
    await page.click('#surge-answer-save');
    await page.locator('#surge-answer', { hasText: '每位顾客的第一条消息先收到）：直播间的订单 48 小时内发货' }).waitFor();
    expect(await store.getSetting('surge:answer')).toBe('直播间的订单 48 小时内发货');

    // 开改进单 on the case opens the improvement page with the case filled in; the item names the case.
    await page.click('.tabs button[data-tab="queue"]');
    await page.click(`#list .inbox-item[data-id="${k.id}"]`);
    await page.click('#btn-improve');
    await page.waitForURL(/\/console\/improvements\?/);
    // The page's script fills the form from the address once it has loaded its own data.
    await expect.poll(() => page.inputValue('#n-case')).toBe(k.id);
    await page.fill('#n-action', '直播前核对杯盖密封圈批次');
    await page.fill('#n-due', '2030-01-31');
    await page.click('#new-item button[type="submit"]');
    const item = await waitFor(async () => (await store.listImprovements({ dimension: 'category', key: 'quality' })).find((i) => i.sourceCaseId === k.id), { what: 'the improvement item from the case' });
    expect(item).toMatchObject({ source: 'case', action: '直播前核对杯盖密封圈批次' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('tells an agent looking elsewhere of a case entering the queue and of one handed to them, and shows them the surge without the answer box', async () => {
    const agent = await makeUser(c.h, { name: 'wangwu' });
    const context = await browser.newContext();
    const { page, errors } = await loggedIn(agent.username, await context.newPage());
    await page.locator('#me', { hasText: agent.displayName }).waitFor();
    // Agents read the surge but do not set the answer.
    await surgeOn();
    await page.locator('#surge-rate', { hasText: '咨询高峰中' }).waitFor();
    expect(await page.locator('#surge-answer-input').count()).toBe(0);

    // The agent switches to another tab: this page no longer has the focus (Chromium's real focus, not emulated).
    await (await context.newCDPSession(page)).send('Emulation.setFocusEmulationEnabled', { enabled: false });
    await (await context.newPage()).bringToFront();
    const titleHas = (text: string) => page.waitForFunction((t) => (globalThis as unknown as PageGlobals).document.title.includes(t), text, { timeout: 15_000 });

    const waiting = await makeCase(c.h);
    await titleHas(`新工单 ${caseRef(waiting.id)} 等待接手`);
    // A supervisor hands that queue case to the agent: it was on their list already, and is news again as theirs.
    const token = client(c.h.baseUrl, { token: API_TOKEN });
    expect((await token(`/api/cases/${waiting.id}/assign`, { method: 'POST', body: { userId: agent.id } })).status).toBe(200);
    await titleHas(`新工单 ${caseRef(waiting.id)} 已分配给您`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
