// bench:scale's build step (shared with scale-build.ts, which runs it alone): the lead asks for
// a version through requestDatasetVersion and the worker's dataset-build job builds it; this
// process only waits for the version row to turn ready or failed.
import path from 'node:path';
import type pg from 'pg';
import { DEFAULT_PARAMS } from '../datasets/params';
import { requestDatasetVersion } from '../datasets/request-dataset-version';
import { copyOut } from './copy-out';

type Actor = Parameters<typeof requestDatasetVersion>[0];
const POLL_MS = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function buildStep(
  client: pg.Client,
  actor: Actor,
  log: (m: string) => void,
): Promise<{ versionId: number; examples: number; contentHash: string }> {
  const created = await requestDatasetVersion(actor, { name: 'scale', params: DEFAULT_PARAMS });
  let last = Date.now();
  for (;;) {
    const r = (
      await client.query<{
        status: string;
        error: string | null;
        example_count: number;
        content_hash: string | null;
        progress_phase: string | null;
        progress_done: number;
        progress_total: number;
        batches_done: number;
      }>(
        'SELECT status::text, error, example_count, content_hash, progress_phase, progress_done, progress_total, batches_done FROM dataset_versions WHERE id = $1',
        [created.versionId],
      )
    ).rows[0];
    if (r.status === 'failed') throw new Error(`the build failed: ${r.error}`);
    if (r.status === 'ready') return { versionId: created.versionId, examples: r.example_count, contentHash: r.content_hash ?? '' };
    if (Date.now() - last > 5000) {
      log(
        `  build ${r.progress_phase ?? 'queued'} ${r.progress_done.toLocaleString('en-US')}/${r.progress_total.toLocaleString('en-US')} (batches ${r.batches_done})`,
      );
      last = Date.now();
    }
    await sleep(POLL_MS);
  }
}

/** The build's baseline: COPY out of the labeled turns with their conversations' messages (into `dir`). */
export function buildBaseline(client: pg.Client, dir: string): Promise<{ rows: number; bytes: number; seconds: number }> {
  return copyOut(
    client,
    `COPY (SELECT m.conversation_id, c.external_id, m.id, m.position, m.sender, m.text, m.sent_at, l.value
           FROM conversations c JOIN messages m ON m.conversation_id = c.id LEFT JOIN labels l ON l.message_id = m.id
           WHERE c.labeled_turns > 0 ORDER BY m.conversation_id, m.position) TO STDOUT`,
    path.join(dir, 'baseline-turns.copy'),
  );
}
