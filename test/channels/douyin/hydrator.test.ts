/**
 * Image evidence: the hydrator fetches uploads through the fake's resources API and stores real bytes in SQLite;
 * pictures it cannot keep come back with a how-to notice for the shopper, which the drain says (e2e.test.ts).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDouyinClient } from '../../../src/channels/douyin/client.js';
import { createDouyinHydrator } from '../../../src/channels/douyin/hydrator.js';
import { sniffMime } from '../../../src/channels/douyin/media.js';
import { NetworkError } from '../../../src/core/errors.js';
import { addressRange, checkFetchTarget } from '../../../src/core/public-address.js';
import { FakeDouyin, TRANSIENT } from '../../fakes/douyin/server.js';
import { loadTemplates, renderTemplate } from '../../../templates/render.js';
import { DY, startRig, type Rig } from './rig.js';

const book = loadTemplates();
const NOT_KEPT = renderTemplate(book, 'douyin.photo.not_kept');
const NOT_UPLOAD = renderTemplate(book, 'douyin.photo.not_upload');

let rig: Rig;
let fake: FakeDouyin;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

beforeAll(async () => {
  fake = await FakeDouyin.start(DY);
  rig = await startRig({ env: { DOUYIN_API_BASE: fake.baseUrl } });
  fake.setWebhook(`${rig.baseUrl}/webhooks/douyin`);
});
afterAll(async () => {
  await fake.stop();
  await rig.stop();
});

async function delivered(openId: string, bytes: Buffer) {
  const sent = await fake.customerSendsImage(openId, bytes);
  expect(sent.report.ok).toBe(true);
  const row = await rig.services.store.findInbound('douyin', sent.serverMessageId);
  const conv = await rig.services.store.findConversation('douyin', openId);
  if (!row || !conv) throw new Error('not ingested');
  return { row, conv, sent };
}

describe('douyin hydrator', () => {
  it('sniffs types from magic bytes', () => {
    expect(sniffMime(JPEG)).toBe('image/jpeg');
    expect(sniffMime(PNG)).toBe('image/png');
    expect(sniffMime(Buffer.from('GIF89a....'))).toBe('image/gif');
    expect(sniffMime(Buffer.from('<html>nope</html>'))).toBeNull();
  });

  it('stores the image once as evidence and reuses it on a re-run', async () => {
    const { row, conv, sent } = await delivered('img-1', JPEG);
    expect(row.message.attachments).toEqual([{ kind: 'image' }]);
    const hydrator = rig.services.hydrators.douyin;
    if (!hydrator) throw new Error('no hydrator');
    const { message: msg, notices: said } = await hydrator.hydrate(row, conv);
    expect(said).toEqual([]);
    const sha = createHash('sha256').update(JPEG).digest('hex');
    expect(msg.attachments).toEqual([{ kind: 'image', evidenceId: expect.any(String), mime: 'image/jpeg', size: JPEG.length, sha256: sha }]);
    const evidenceId = msg.attachments[0]?.evidenceId ?? '';
    expect(await rig.services.store.readEvidence(evidenceId)).toEqual(JPEG);
    expect((await rig.services.store.getEvidence(evidenceId))?.source).toBe(sent.serverMessageId);

    const calls = fake.resourceCalls;
    const again = await hydrator.hydrate(row, conv);
    expect(again.message.attachments[0]?.evidenceId).toBe(evidenceId);
    expect(fake.resourceCalls).toBe(calls);
    expect(await rig.services.store.listEvidence({ conversationId: conv.id })).toHaveLength(1);
  });

  it('goes on without evidence when the bytes are too big or not an image', async () => {
    const tooBig = await delivered('img-2', JPEG);
    const client = createDouyinClient({ ...DY, apiBase: fake.baseUrl });
    const capped = createDouyinHydrator({
      client: { ...client, download: (url) => client.download(url, 100) },
      store: rig.services.store,
      log: rig.services.log,
      metrics: rig.services.metrics,
      data: rig.services.data,
    });
    expect(await capped.hydrate(tooBig.row, tooBig.conv)).toEqual({ message: tooBig.row.message, notices: [NOT_KEPT] });

    const html = await delivered('img-3', Buffer.from('<html>error page</html>'));
    expect(await rig.services.hydrators.douyin?.hydrate(html.row, html.conv)).toEqual({ message: html.row.message, notices: [NOT_KEPT] });
    expect(await rig.services.store.listEvidence({ conversationId: html.conv.id })).toHaveLength(0);
  });

  it('never asks the resources API for a picture that is not an upload, and tells the shopper how to send one', async () => {
    const event = fake.sharedImageMessage('img-5');
    expect((await fake.deliver(event)).ok).toBe(true);
    const row = await rig.services.store.findInbound('douyin', event.serverMessageId);
    const conv = await rig.services.store.findConversation('douyin', 'img-5');
    if (!row || !conv) throw new Error('not ingested');
    expect(row.message.meta.messageType).toBe('image');
    const calls = fake.resourceCalls;
    const refusals = fake.refusals.length;
    const hydrator = rig.services.hydrators.douyin;
    const first = await hydrator?.hydrate(row, conv);
    // A retried job hydrates again: still no call, the same one notice for the drain to say.
    const again = await hydrator?.hydrate(row, conv);
    expect(first).toEqual({ message: row.message, notices: [NOT_UPLOAD] });
    expect(again).toEqual(first);
    expect(fake.resourceCalls).toBe(calls);
    expect(fake.refusals).toHaveLength(refusals);
    expect(NOT_UPLOAD).toMatch(/相册/);
  });

  it('retries (throws) on the documented transient codes instead of giving up on the picture', async () => {
    const { row, conv } = await delivered('img-6', PNG);
    fake.failNext.push(TRANSIENT.rateLimit);
    const hydrator = rig.services.hydrators.douyin;
    await expect(hydrator?.hydrate(row, conv)).rejects.toMatchObject({ platformCode: TRANSIENT.rateLimit, retryable: true });
    const msg = await hydrator?.hydrate(row, conv);
    expect(msg?.message.attachments[0]?.mime).toBe('image/png');
    expect(msg?.notices).toEqual([]);
  });

  it('throws a NetworkError (job retries) when the platform is unreachable', async () => {
    const { row, conv } = await delivered('img-4', PNG);
    const hydrator = createDouyinHydrator({
      client: createDouyinClient({ ...DY, apiBase: 'http://127.0.0.1:9' }),
      store: rig.services.store,
      log: rig.services.log,
      metrics: rig.services.metrics,
      data: rig.services.data,
    });
    await expect(hydrator.hydrate(row, conv)).rejects.toBeInstanceOf(NetworkError);
  });

  it('records a stalled download as missing evidence and asks again, instead of failing the job', async () => {
    const { row, conv } = await delivered('img-stall', PNG);
    fake.hangMedia = true;
    try {
      const before = fake.mediaRequests;
      const msg = await rig.services.hydrators.douyin?.hydrate(row, conv);
      expect(fake.mediaRequests).toBe(before + 1);
      expect(msg).toEqual({ message: row.message, notices: [NOT_KEPT] });
      expect(await rig.services.store.listEvidence({ conversationId: conv.id })).toHaveLength(0);
    } finally {
      fake.hangMedia = false;
    }
  });

  it('never connects to a private, loopback or link-local resource URL other than the configured platform origin', async () => {
    let hits = 0;
    const inside = http.createServer((_req, res) => {
      hits++;
      res.end(PNG);
    });
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
    const port = (inside.address() as AddressInfo).port;
    const targets = [`http://127.0.0.1:${port}/secret`, `http://localhost:${port}/secret`, `http://[::ffff:127.0.0.1]:${port}/x`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.7/a.jpg', 'http://[fe80::1]/a.jpg'];
    try {
      for (const [i, target] of targets.entries()) {
        const { row, conv } = await delivered(`img-ssrf-${i}`, PNG);
        fake.resourceUrlOverride = target;
        const msg = await rig.services.hydrators.douyin?.hydrate(row, conv);
        expect(msg, target).toEqual({ message: row.message, notices: [NOT_KEPT] });
      }
      expect(hits).toBe(0);
    } finally {
      fake.resourceUrlOverride = null;
      await new Promise<void>((resolve) => inside.close(() => resolve()));
    }
  });
});

describe('media fetch targets', () => {
  it('names the range of each address and lets only public unicast or a configured origin through', async () => {
    expect(addressRange('127.0.0.1')).toBe('loopback');
    expect(addressRange('::ffff:10.1.2.3')).toBe('private');
    expect(addressRange('100.64.0.1')).toBe('carrierGradeNat');
    expect(addressRange('fd00::1')).toBe('uniqueLocal');
    expect(addressRange('203.0.113.9')).not.toBe('unicast'); // TEST-NET-3 is reserved
    expect(addressRange('8.8.8.8')).toBe('unicast');
    expect(await checkFetchTarget(new URL('http://127.0.0.1:8080/x'), ['http://127.0.0.1:8080'])).toEqual({ refused: null });
    expect(await checkFetchTarget(new URL('http://127.0.0.1:8081/x'), ['http://127.0.0.1:8080'])).toEqual({ refused: 'loopback' });
    expect(await checkFetchTarget(new URL('http://8.8.8.8/x'), [])).toEqual({ refused: null });
  });
});
