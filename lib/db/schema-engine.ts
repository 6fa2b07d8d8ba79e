// Prisma's schema engine as WebAssembly, driven through the pg driver adapter. The CLI's
// native engine cannot be downloaded on these machines (DESIGN.md §4); this one ships in npm.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);

export const MIGRATIONS_DIR = path.join(process.cwd(), 'prisma', 'migrations');
export const SCHEMA_PATH = path.join(process.cwd(), 'prisma', 'schema.prisma');

type Engine = Awaited<ReturnType<typeof import('@prisma/schema-engine-wasm/schema_engine_bg').SchemaEngine.new>>;

let engineModule: ReturnType<typeof instantiateEngineModule> | null = null;

// wasm-bindgen modules may be started once per process: later calls reuse the instance.
function loadEngineModule() {
  engineModule ??= instantiateEngineModule();
  return engineModule;
}

async function instantiateEngineModule() {
  // Instantiate the .wasm ourselves so Node needs no --experimental-wasm-modules flag.
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {
    './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg;
}

export async function withSchemaEngine<T>(url: string, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const bg = await loadEngineModule();
  const schema = fs.readFileSync(SCHEMA_PATH, 'utf8');
  const factory = migrationAdapterFactory(url);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const log = () => {};
  const engine = await bg.SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schema]] }, log, adapter);
  try {
    return await fn(engine);
  } finally {
    engine.free();
    // Freeing the wasm engine does not close its connections, and one of them still holds
    // the migration advisory lock: another process (the worker) would wait on it forever.
    await factory.disposeAll();
  }
}

export function readMigrationsList() {
  const dirs = fs.existsSync(MIGRATIONS_DIR)
    ? fs
        .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((dir) => {
      const file = path.join(MIGRATIONS_DIR, dir, 'migration.sql');
      return {
        path: dir,
        migrationFile: {
          path: 'migration.sql',
          content: fs.existsSync(file) ? { tag: 'ok' as const, value: fs.readFileSync(file, 'utf8') } : { tag: 'error' as const, value: `missing ${file}` },
        },
      };
    }),
  };
}

// PrismaPg's own shadow database handling ignores the database name when given a
// connection string and drops the shadow database while its pool still holds a connection,
// so we make and drop the shadow database ourselves.
function migrationAdapterFactory(url: string) {
  const config = poolConfigFromUrl(url);
  const main = new PrismaPg(config);
  const admin = async (sql: string) => {
    const client = new pg.Client(config);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const open: { dispose(): Promise<void> }[] = [];
  return {
    provider: main.provider as 'postgres',
    adapterName: main.adapterName,
    async connect() {
      const adapter = await main.connect();
      open.push(adapter);
      return adapter;
    },
    async disposeAll() {
      await Promise.all(open.splice(0).map((a) => a.dispose().catch(() => {})));
    },
    async connectToShadowDb() {
      const name = `studio_shadow_${randomUUID().replace(/-/g, '')}`;
      await admin(`CREATE DATABASE "${name}"`);
      const adapter = await new PrismaPg({ ...config, database: name }).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

function poolConfigFromUrl(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    ssl: u.searchParams.get('sslmode') === 'require' ? { rejectUnauthorized: false } : undefined,
  };
}

export const NO_FILTER = { externalTables: [], externalEnums: [] };
