// The one Prisma client of a process. Prisma 7 talks to PostgreSQL through the pg driver
// adapter (no native query engine), so this works offline and on any PostgreSQL ≥ 15.
// Never in a client bundle (a build that tries fails); a no-op under Node (tsconfig paths).
import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { prismaPoolMax } from './db/connection-budget';

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error('DATABASE_URL is not set. Start the Studio with `npm start`, which provides a database.');
  }
  return url;
}

const globalForPrisma = globalThis as unknown as { studioPrisma?: PrismaClient };

// DATABASE_POOL_MAX connections at most (10): see lib/db/connection-budget.ts for the whole
// process's budget. Queries go out as unnamed statements (adapter-pg names none unless asked),
// which is what PgBouncer in transaction mode needs.
function createClient() {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(), max: prismaPoolMax() }) });
}

// Lazily created so that importing a module never needs a database until it is used;
// kept on globalThis so Next's dev server reloads do not open a new pool each time.
export function db(): PrismaClient {
  globalForPrisma.studioPrisma ??= createClient();
  return globalForPrisma.studioPrisma;
}

export async function disconnectDb() {
  await globalForPrisma.studioPrisma?.$disconnect();
  globalForPrisma.studioPrisma = undefined;
}
