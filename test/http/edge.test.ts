import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';

// 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('HTTP edge and web simulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.stop());

  /** Posts as the visitor the body names (the cookie is what identifies a visitor). */
  const post = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${h.baseUrl}/simulator/api/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(typeof body === 'object' && body && 'visitorId' in body ? { cookie: `asa_visitor=${String(body.visitorId)}` } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers health, readiness and metrics', async () => {
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toContain('asa_messages_in_total');
    expect(metrics).toContain('asa_queue_depth');
  });

  it('serves the simulator page and gives the visitor an HttpOnly cookie', async () => {
    const res = await fetch(`${h.baseUrl}/simulator`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('顾客模拟器');
    expect(res.headers.get('set-cookie')).toMatch(/asa_visitor=v[\w-]+;.*httponly/i);
  });

  it('rejects bad input with a specific code and changes nothing', async () => {
    const big = await post({ visitorId: 'edge-visitor-1', text: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('body_too_large');
    const bad = await post('{not json', {});
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad_json');
    const empty = await post({ visitorId: 'edge-visitor-1', text: '   ' });
    expect(empty.status).toBe(400);
    const visitor = await post({ visitorId: '../../etc', text: 'hi' });
    expect(visitor.status).toBe(400);
    expect(await h.services.store.findConversation('web', 'edge-visitor-1')).toBeNull();
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/asa_errors_total\{code="body_too_large"\} 1/);
  });

  it('accepts a text, answers through the pipeline, and dedupes a resend', async () => {
    const body = { visitorId: 'edge-visitor-2', clientMsgId: 'same-1', text: '你好，衣服开线了' };
    expect((await post(body)).status).toBe(202);
    expect((await post(body)).status).toBe(200);
    const cookie = 'asa_visitor=edge-visitor-2';
    const messages = await waitFor(async () => {
      const res = await fetch(`${h.baseUrl}/simulator/api/messages`, { headers: { cookie } });
      const data = (await res.json()) as { messages: { from: string; text: string; status?: string }[] };
      return data.messages.some((m) => m.from === 'bot' && m.status === 'sent') ? data.messages : null;
    });
    expect(messages.filter((m) => m.from === 'customer')).toHaveLength(1);
    expect(messages.filter((m) => m.from === 'bot')).toHaveLength(1);
  });

  it('stores an uploaded photo as evidence with its sha256 and serves it only to its visitor', async () => {
    const form = new FormData();
    form.append('visitorId', 'edge-visitor-3');
    form.append('clientMsgId', 'photo-1');
    form.append('image', new Blob([PNG]), 'photo.png');
    const res = await fetch(`${h.baseUrl}/simulator/api/messages`, { method: 'POST', headers: { cookie: 'asa_visitor=edge-visitor-3' }, body: form });
    expect(res.status).toBe(202);
    const conv = await h.services.store.findConversation('web', 'edge-visitor-3');
    const [evidence] = await h.services.store.listEvidence({ conversationId: conv?.id as string });
    expect(evidence?.mime).toBe('image/png');
    expect(evidence?.size).toBe(PNG.length);
    const own = await fetch(`${h.baseUrl}/simulator/api/evidence/${evidence?.id}`, { headers: { cookie: 'asa_visitor=edge-visitor-3' } });
    expect(Buffer.from(await own.arrayBuffer()).equals(PNG)).toBe(true);
    const other = await fetch(`${h.baseUrl}/simulator/api/evidence/${evidence?.id}`, { headers: { cookie: 'asa_visitor=edge-visitor-2' } });
    expect(other.status).toBe(404);

    const notImage = new FormData();
    notImage.append('visitorId', 'edge-visitor-3');
    notImage.append('image', new Blob([Buffer.from('#!/bin/sh\necho hi')]), 'x.png');
    expect((await fetch(`${h.baseUrl}/simulator/api/messages`, { method: 'POST', headers: { cookie: 'asa_visitor=edge-visitor-3' }, body: notImage })).status).toBe(415);
  });
});
