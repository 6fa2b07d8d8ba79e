import { defineConfig } from 'prisma/config';

// DATABASE_URL is optional here: generate needs none, and our migration CLIs resolve the
// database themselves (embedded PostgreSQL when DATABASE_URL is unset).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
