import fs from 'node:fs';
import pg from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { applyPendingMigrations } from '../db/migrate';
import { freePort } from '../testing/free-port';
const dir = '/tmp/evm/pg';
const fresh = !fs.existsSync(dir);
const server = await startEmbeddedPostgres({ dataDir: dir, port: 55432, quiet: true });
fs.writeFileSync('/tmp/evm/url', server.url);
await applyPendingMigrations(server.url);
const c = new pg.Client({ connectionString: server.url }); await c.connect();
if (fresh) {
  await c.query(`INSERT INTO users (id, name, email, role, updated_at) VALUES ('u', 'U', 'u@x', 'ml_lead', now())`);
  await c.query(`INSERT INTO datasets (name, owner_id) VALUES ('d', 'u')`);
  await c.query(`INSERT INTO dataset_versions (dataset_id, version, status, params, created_by_id) VALUES (1, 1, 'ready', '{}', 'u')`);
  for (const m of ['a', 'b']) await c.query(`INSERT INTO eval_runs (model, provider, dataset_version_id, status, settings, created_by_id) VALUES ($1, 'local', 1, 'running', '{"concurrency":1,"maxTokens":5,"temperature":0,"logprobs":true,"topLogprobs":3}', 'u')`, [m]);
  for (const r of [1, 2]) {
    const t = performance.now();
    await c.query(`INSERT INTO eval_predictions (run_id, ordinal, conversation_id, message_id, truth, predicted, confidence, raw_output, latency_ms, prompt_tokens, completion_tokens)
      SELECT $1, o, (o + 9) / 10, o, (ARRAY['END','CONTINUE','SCHEDULE'])[1 + (o::bigint * 7919 % 3)::int]::"LabelValue",
        CASE WHEN random() < 0.85 THEN (ARRAY['END','CONTINUE','SCHEDULE'])[1 + (o::bigint * 7919 % 3)::int] WHEN random() < 0.1 THEN 'invalid' ELSE 'END' END,
        round(random()::numeric, 6)::float8, 'x', 20 + (random() * 200)::int, 300 + o % 500, 2 FROM generate_series(1, 1000000) o`, [r]);
    console.log('insert', r, performance.now() - t);
  }
  await c.query('VACUUM ANALYZE eval_predictions');
}
await c.end();
console.log(server.url);
// keep running
setInterval(() => {}, 1 << 30);
