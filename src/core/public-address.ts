/**
 * Which hosts a media fetch may reach. A URL handed to us by a platform (a Douyin resource URL) is fetched only
 * when every address its host resolves to is public unicast: loopback, private, link-local (cloud metadata at
 * 169.254.169.254), unique-local, CGNAT, multicast and reserved ranges are refused (OWASP SSRF prevention cheat
 * sheet, "application layer" defences). The one exception is a configured platform origin: an operator who points
 * `DOUYIN_API_BASE` at a host on the private network (or a test at 127.0.0.1) has said that origin is the platform.
 *
 * Ranges are ipaddr.js's `range()` names; IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 it maps.
 * The check resolves the name once before the fetch; the fetch resolves it again (no pinning), so a name whose
 * answer changes in between is not covered — the platforms' CDN names do not do that.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface AddressVerdict {
  /** null when the URL may be fetched; otherwise the refused range (e.g. `loopback`, `private`). */
  refused: string | null;
}

/** The range name of one literal address; `unicast` is the only public one. */
export function addressRange(address: string): string {
  return ipaddr.process(address).range();
}

export async function checkFetchTarget(url: URL, allowedOrigins: readonly string[]): Promise<AddressVerdict> {
  if (allowedOrigins.includes(url.origin)) return { refused: null };
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  for (const address of addresses) {
    const range = addressRange(address);
    if (range !== 'unicast') return { refused: range };
  }
  return { refused: null };
}
