/**
 * The one error middleware: AppError → its status and `{error:{code,message}}`; anything else → 500 with a
 * generic message (details only in the log). Rejected webhook requests are counted by route and reason.
 */
import type { Context, Next } from 'koa';
import { AppError } from '../../src/core/errors.js';
import type { Services } from '../../src/services.js';

export function errorMiddleware(s: Pick<Services, 'log' | 'metrics'>) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
    } catch (err) {
      const appErr = err instanceof AppError ? err : null;
      const status = appErr?.status ?? httpStatusOf(err) ?? 500;
      const code = appErr?.code ?? (status === 500 ? 'internal' : 'request_error');
      if (ctx.path.startsWith('/webhooks/') && status < 500) {
        s.metrics.webhookRejected.inc({ route: ctx.path, reason: code });
      }
      s.metrics.errors.inc({ code });
      if (status >= 500 && status !== 503) s.log.error({ err, path: ctx.path }, 'request failed');
      else if (status === 503) s.log.warn({ path: ctx.path, code }, 'temporarily unavailable');
      else s.log.info({ path: ctx.path, status, code }, 'request rejected');
      ctx.status = status;
      const expose = appErr ? appErr.expose : status < 500;
      ctx.body = { error: { code, message: expose && err instanceof Error ? err.message : 'internal error' } };
    }
  };
}

function httpStatusOf(err: unknown): number | null {
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : null;
}
