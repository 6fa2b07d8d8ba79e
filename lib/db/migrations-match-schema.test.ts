// The migrations, applied to an empty database (the test database global-setup migrated),
// must produce every table, column and enum value schema.prisma declares. Several branches
// each add a migration against the same snapshot; this catches a merge whose schema.prisma
// holds a model or column that no migration creates. (Prisma's own drift check cannot
// describe PostgreSQL 18 through the wasm engine, see migrate.ts.)
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaChangesSinceLastMigration } from './migrate';
import { SCHEMA_PATH } from './schema-engine';

interface Declared {
  tables: Map<string, Set<string>>;
  enums: Map<string, Set<string>>;
}

const SCALARS = new Set(['String', 'Int', 'BigInt', 'Float', 'Decimal', 'Boolean', 'DateTime', 'Json', 'Bytes']);

function declaredSchema(text: string): Declared {
  const blocks = [...text.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm)];
  const enums = new Map<string, Set<string>>();
  const enumDbNames = new Map<string, string>();
  for (const [, kind, name, body] of blocks) {
    if (kind !== 'enum') continue;
    const values = new Set<string>();
    for (const line of body.split('\n')) {
      const t = line.replace(/\/\/.*$/, '').trim();
      if (!t || t.startsWith('@@')) continue;
      const m = /^(\w+)(?:\s+@map\("([^"]+)"\))?/.exec(t);
      if (m) values.add(m[2] ?? m[1]);
    }
    enumDbNames.set(name, /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name);
    enums.set(enumDbNames.get(name)!, values);
  }
  const tables = new Map<string, Set<string>>();
  for (const [, kind, name, body] of blocks) {
    if (kind !== 'model') continue;
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name;
    const columns = new Set<string>();
    for (const line of body.split('\n')) {
      const t = line.replace(/\/\/.*$/, '').trim();
      const m = /^(\w+)\s+(\w+)(\([^)]*\))?(\[\])?\??\s*(.*)$/.exec(t);
      if (!m || t.startsWith('@@')) continue;
      const [, field, type, , list, attrs] = m;
      const scalar = SCALARS.has(type) || type === 'Unsupported' || enumDbNames.has(type);
      if (!scalar || (list && !SCALARS.has(type) && !enumDbNames.has(type))) continue;
      columns.add(/@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? field);
    }
    tables.set(table, columns);
  }
  return { tables, enums };
}

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
afterAll(() => client.end());

describe('migrations match schema.prisma', () => {
  it('create every declared table, column and enum value', async () => {
    await client.connect();
    const declared = declaredSchema(fs.readFileSync(SCHEMA_PATH, 'utf8'));
    expect(declared.tables.size).toBeGreaterThan(10);
    const { rows: cols } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const actual = new Map<string, Set<string>>();
    for (const r of cols) (actual.get(r.table_name) ?? actual.set(r.table_name, new Set()).get(r.table_name)!).add(r.column_name);
    const missing: string[] = [];
    for (const [table, columns] of declared.tables) {
      const have = actual.get(table);
      if (!have) {
        missing.push(`table ${table}`);
        continue;
      }
      for (const c of columns) if (!have.has(c)) missing.push(`column ${table}.${c}`);
    }
    const { rows: enumRows } = await client.query<{ typname: string; enumlabel: string }>(
      `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public'`,
    );
    for (const [name, values] of declared.enums) {
      for (const v of values) if (!enumRows.some((r) => r.typname === name && r.enumlabel === v)) missing.push(`enum value ${name}.${v}`);
    }
    expect(missing, 'declared in schema.prisma but created by no migration').toEqual([]);
  });

  it('leave nothing for the next migration: the newest snapshot is the current schema', async () => {
    // A stale snapshot would make `npm run db:migration` write changes that already exist.
    expect(await schemaChangesSinceLastMigration(process.env.DATABASE_URL!)).toBe('');
  });
});
