/**
 * Evidence bytes for the console, only to people who may see a case it belongs to. Served inline only for
 * image (not SVG), video, audio and PDF types; anything else downloads as an attachment, so an uploaded
 * HTML or SVG file can never run in our origin.
 */
import { notFound } from '../core/errors.js';
import { assertCanView, canView, type Actor } from '../handoff/actions.js';
import type { Services } from '../services.js';
import type { Evidence } from '../store/types.js';

const MIME = /^[a-z]+\/[a-z0-9.+-]{1,80}$/;
const INLINE = /^(image\/(png|jpeg|gif|webp|bmp|heic|heif|avif)|video\/[a-z0-9.+-]+|audio\/[a-z0-9.+-]+|application\/pdf)$/;
const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'video/mp4': 'mp4', 'audio/amr': 'amr', 'application/pdf': 'pdf' };

export interface EvidenceDownload {
  evidence: Evidence;
  bytes: Buffer;
  contentType: string;
  disposition: string;
}

const missing = (): Error => notFound('evidence_not_found', 'no such evidence');

/** The case that decides access: the linked one, else any case of the same conversation the person may see. */
async function assertMayRead(s: Services, actor: Actor, e: Evidence): Promise<void> {
  if (e.caseId) {
    const c = await s.store.getCase(e.caseId);
    if (!c) throw missing();
    assertCanView(actor, c);
    return;
  }
  if (actor.role !== 'agent') return;
  const page = await s.store.listCases({ conversationId: e.conversationId, limit: 50 });
  const first = page.items[0];
  if (!first) throw missing();
  if (!page.items.some((c) => canView(actor, c))) assertCanView(actor, first);
}

export async function readEvidenceFor(s: Services, actor: Actor, id: string): Promise<EvidenceDownload> {
  const e = await s.store.getEvidence(id);
  if (!e) throw missing();
  await assertMayRead(s, actor, e);
  const bytes = await s.store.readEvidence(e.id);
  if (!bytes) throw missing();
  const mime = MIME.test(e.mime.toLowerCase()) ? e.mime.toLowerCase() : 'application/octet-stream';
  const inline = INLINE.test(mime);
  const name = `evidence-${e.id.replace(/[^\w-]/g, '')}.${EXT[mime] ?? 'bin'}`;
  return {
    evidence: e,
    bytes,
    contentType: inline ? mime : 'application/octet-stream',
    disposition: `${inline ? 'inline' : 'attachment'}; filename="${name}"`,
  };
}
