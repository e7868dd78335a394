/**
 * Reads a request body as raw bytes with a hard cap, for webhooks that verify signatures over the exact
 * bytes. Over the cap → 413 before the rest is read; a body that ends early → 400.
 */
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { AppError, tooLarge } from '../../src/core/errors.js';

export const WEBHOOK_BODY_LIMIT = 64 * 1024;

export async function readRawBody(ctx: Context, limit = WEBHOOK_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(ctx.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    throw tooLarge('body_too_large', `request body over ${limit} bytes`);
  }
  try {
    return await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') throw tooLarge('body_too_large', `request body over ${limit} bytes`);
    // A client that reset the connection leaves a stream that is no longer readable: the same cut body.
    if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.not.readable') {
      throw new AppError('body_incomplete', 'request body ended early', { status: 400 });
    }
    throw err;
  }
}
