/**
 * One coded error family for the whole service. `expose` says whether the message may reach a client;
 * HTTP middleware turns these into `{error:{code,message}}` with `status`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;

  constructor(code: string, message: string, opts: { status?: number; expose?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = opts.status ?? 500;
    this.expose = opts.expose ?? this.status < 500;
  }
}

export const badRequest = (code: string, message: string): AppError => new AppError(code, message, { status: 400 });
export const unauthorized = (code: string, message: string): AppError => new AppError(code, message, { status: 401 });
export const forbidden = (code: string, message: string): AppError => new AppError(code, message, { status: 403 });
export const notFound = (code: string, message: string): AppError => new AppError(code, message, { status: 404 });
export const conflict = (code: string, message: string): AppError => new AppError(code, message, { status: 409 });
export const tooLarge = (code: string, message: string): AppError => new AppError(code, message, { status: 413 });

/**
 * A platform answered with an error code (WeCom errcode, Douyin error_code, 抖店 code).
 * Kept apart from network failures so callers can tell "the platform refused" from "we could not reach it".
 */
export class PlatformError extends Error {
  readonly platform: string;
  readonly platformCode: number | string;
  readonly retryable: boolean;
  readonly hint: string | undefined;

  constructor(opts: { platform: string; code: number | string; message: string; retryable?: boolean; hint?: string }) {
    super(`${opts.platform} error ${opts.code}: ${opts.message}`);
    this.name = 'PlatformError';
    this.platform = opts.platform;
    this.platformCode = opts.code;
    this.retryable = opts.retryable ?? false;
    this.hint = opts.hint;
  }
}

/** Network-level failure (timeout, reset, 5xx) talking to a platform: always worth a retry. */
export class NetworkError extends Error {
  readonly platform: string;
  constructor(platform: string, message: string, cause?: unknown) {
    super(`${platform} unreachable: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'NetworkError';
    this.platform = platform;
  }
}

/**
 * A short, log-safe code for any thrown value: the coded error's code, the platform and its errcode, or the
 * error's class name. Never the message, which may quote customer words.
 */
export function errorCode(err: unknown): string {
  if (err instanceof AppError) return err.code;
  if (err instanceof PlatformError) return `${err.platform}:${err.platformCode}`;
  if (err instanceof NetworkError) return `${err.platform}:unreachable`;
  if (err instanceof Error) return err.name || 'Error';
  return typeof err;
}
