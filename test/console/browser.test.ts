/**
 * The console in a real headless Chromium (Debian's, driven by playwright-core): a shopper on the web
 * simulator sends a photo and asks for a person; the assigner hands the case to the online agent; the agent
 * logs in, sees it in the inbox with its evidence, replies (the shopper receives it), sees the shopper's
 * answer arrive live, and resolves. The bot says nothing between the hand-over notice and the resolution.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTranscript } from '../../src/pipeline/transcript.js';
import { WebCustomer } from '../dialogue/web-customer.js';
import { waitFor } from '../helpers/harness.js';
import { PASSWORD, makeCase, makeUser, startConsole, type ConsoleHarness } from './console-harness.js';
import { caseRef } from '../../src/handoff/refs.js';

/** The little of the page's globals the checks use (the project compiles without the DOM library). */
interface PageGlobals {
  document: { querySelector(selector: string): { complete: boolean; naturalWidth: number } | null };
  __xss?: unknown;
}


let c: ConsoleHarness;
let browser: Browser;

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
    await page.locator(`#list .inbox-item[data-id="${urgent.id}"]`).waitFor();
    expect(await page.locator(`#list .inbox-item[data-id="${slow.id}"]`).count()).toBe(0);
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
});
