import { NetworkError } from '../core/errors.js';

/**
 * One request to a platform API with the transport rules every channel shares: a time limit, and a network
 * failure, a 5xx or a 429 thrown as a retryable NetworkError. What the body says is the caller's to read.
 */
export async function platformFetch(
  platform: string,
  url: string,
  init: RequestInit,
  opts: { timeoutMs: number; fetch?: typeof fetch },
): Promise<Response> {
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs) });
  } catch (err) {
    throw new NetworkError(platform, err instanceof Error ? err.message : 'fetch failed', err);
  }
  if (res.status >= 500 || res.status === 429) {
    await res.body?.cancel().catch(() => undefined);
    throw new NetworkError(platform, `HTTP ${res.status}`);
  }
  return res;
}
