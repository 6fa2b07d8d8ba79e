// npm run apikey -- create --name <name> [--rate-per-minute N] [--as EMAIL]
// npm run apikey -- list [--as EMAIL]
// npm run apikey -- revoke --id <id> [--as EMAIL]
// API keys for /api/v1, through the same lib/ functions as the admin page (admins only). The
// key is printed once: the last stdout line of create is {"name":…,"key":…}.
import { parseArgs } from 'node:util';
import { cliActor } from '../auth/cli-actor';
import { createApiKey, listApiKeys, revokeApiKey } from '../advisor/api-keys';
import { disconnectDb } from '../db';
import { resolveDatabaseUrl } from '../db/database-url';
import { applyPendingMigrations } from '../db/migrate';
import { AppError, InputError } from '../errors';

const USAGE = `usage:
  npm run apikey -- create --name <name> [--rate-per-minute N] [--as EMAIL]
  npm run apikey -- list [--as EMAIL]
  npm run apikey -- revoke --id <id> [--as EMAIL]`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, 'rate-per-minute': { type: 'string' }, id: { type: 'string' }, as: { type: 'string' } },
  });
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const [command] = parsed.positionals;
const v = parsed.values;
if (!['create', 'list', 'revoke'].includes(command ?? '')) {
  console.error(USAGE);
  process.exit(2);
}

const { url, embedded } = await resolveDatabaseUrl({ quiet: true });
let code = 0;
try {
  await applyPendingMigrations(url);
  const actor = await cliActor(v.as);
  if (command === 'create') {
    if (v.name === undefined) throw InputError.of('name', 'is required');
    const k = await createApiKey(actor, {
      name: v.name,
      ...(v['rate-per-minute'] !== undefined ? { ratePerMinute: v['rate-per-minute'] as unknown as number } : {}),
    });
    process.stderr.write(`[apikey] key #${k.id} "${k.name}" (${k.prefix}): shown once, store it now\n`);
    console.log(JSON.stringify({ name: k.name, key: k.key }));
  } else if (command === 'list') {
    for (const k of await listApiKeys(actor)) {
      console.log(JSON.stringify({ id: k.id, name: k.name, prefix: k.prefix, created: k.createdAt, lastUsed: k.lastUsedAt, revoked: k.revokedAt }));
    }
  } else {
    if (!v.id || !/^\d+$/.test(v.id)) throw InputError.of('id', 'must be a key id');
    await revokeApiKey(actor, Number(v.id));
    console.log(JSON.stringify({ revoked: Number(v.id) }));
  }
} catch (e) {
  if (e instanceof InputError) {
    for (const i of e.issues) console.error(`--${i.field === 'ratePerMinute' ? 'rate-per-minute' : i.field}: ${i.message}`);
    code = 2;
  } else {
    console.error(e instanceof AppError ? e.message : (e as Error).message);
    code = 1;
  }
} finally {
  await disconnectDb();
  await embedded?.stop();
}
process.exit(code);
