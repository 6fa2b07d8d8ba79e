// The client address a throttle counts against. `next start` sets x-forwarded-for to the
// socket's address only when the request carries none, so whatever a client puts there itself
// reaches us unchanged. The Studio's web server (lib/cli/web.ts) therefore drops incoming
// forwarding headers unless TRUST_PROXY says a reverse proxy in front of it sets them; with
// TRUST_PROXY=N (1 = one proxy), the address is the one the N-th proxy from us appended.
import { z } from 'zod';

const trustProxySchema = z
  .string()
  .trim()
  .regex(/^(\d{1,2}|true|false)?$/, 'TRUST_PROXY must be empty, 0, 1 … 99, true or false')
  .transform((v) => (v === '' || v === 'false' ? 0 : v === 'true' ? 1 : Number(v)));

/** How many reverse proxies in front of the Studio append to x-forwarded-for (0: none). */
export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  return trustProxySchema.parse(env.TRUST_PROXY ?? '');
}

/**
 * The client's address: with no trusted proxy, the last x-forwarded-for entry (which our server
 * sets from the socket); behind N trusted proxies, the entry the outermost of them appended.
 * Addresses a client may choose itself are never used.
 */
export function clientIp(headers: Headers, env: Record<string, string | undefined> = process.env): string {
  const hops = trustedProxyHops(env);
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const entry = chain.at(-Math.max(hops, 1));
  return entry ? normalise(entry) : 'unknown';
}

// "::ffff:127.0.0.1" and "127.0.0.1" are one client; an IPv6 client is counted per /64, which
// is what one customer is usually given.
function normalise(addr: string): string {
  const a = addr.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (!a.includes(':')) return a.slice(0, 64);
  const parts = expandIpv6(a);
  return parts ? `${parts.slice(0, 4).join(':')}::/64` : a.slice(0, 64);
}

function expandIpv6(a: string): string[] | null {
  const [head, tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  if (a.includes('::')) {
    const fill = 8 - h.length - t.length;
    if (fill < 0) return null;
    return [...h, ...Array<string>(fill).fill('0'), ...t];
  }
  return h.length === 8 ? h : null;
}
