/** What a platform client needs from the token lifecycle: the token to use now, and a renewal after a refusal. */
export interface TokenSource {
  current(): Promise<string>;
  /**
   * The platform refused `token` as expired or invalid. Renews it once across processes and returns the token
   * to retry with, or null when it cannot be renewed (no refresh token, refresh refused). Throws NetworkError
   * when the platform could not be reached, so the caller's job retries later.
   */
  renewAfterRejection(token: string): Promise<string | null>;
}

/** A token that is never renewed (tests of other parts, or a platform without a refresh token configured). */
export function fixedToken(token: string): TokenSource {
  return {
    current: () => Promise.resolve(token),
    renewAfterRejection: () => Promise.resolve(null),
  };
}
