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
import { PASSWORD, makeUser, startConsole, type ConsoleHarness } from './console-harness.js';

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
    await waitFor(async () => (await shopper.transcript()).some((m) => m.from === 'agent' && m.text === words && m.status === 'sent'), { what: 'the reply at the shopper' });
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
});
