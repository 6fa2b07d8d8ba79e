// The browser-side locks on every page. Next's App Router inlines its bootstrap and flight-data
// scripts, so script-src names a fresh nonce per request (proxy.ts puts it in the request's
// CSP header, where Next reads it and stamps its own scripts) plus 'strict-dynamic' for the
// chunks those scripts load. Styles may be inline: Tailwind's runtime-free classes don't need
// it, but recharts and a few progress bars set style attributes, which nonces cannot cover.

/** The Content-Security-Policy of one response. */
export function contentSecurityPolicy(nonce: string, opts: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

// The headers that do not change per request are in next.config.mjs (it is not TypeScript).

/** HSTS only makes sense, and is only safe to send, when the Studio is served over https. */
export const HSTS = 'max-age=31536000; includeSubDomains';
