// "The database is unchanged": every table's rows, compared before and after a failing call.
import { db } from '../db';

// api_key_buckets is left out on purpose: a rate-limit token is spent by every request that
// names a valid key, the bad ones included (that is what a rate limit is for).
const TABLES = [
  'users',
  'accounts',
  'conversations',
  'messages',
  'labels',
  'label_events',
  'conversation_reviewers',
  'adjudications',
  'turn_skips',
  'turn_flags',
  'turn_comments',
  'turn_mark_events',
  'datasets',
  'dataset_versions',
  'dataset_examples',
  'dataset_transcripts',
  'dataset_split_assignments',
  'fine_tune_jobs',
  'fine_tune_events',
  'fine_tune_metrics',
  'provider_settings',
  'eval_runs',
  'eval_predictions',
  'advisor_promotions',
  'api_keys',
  'advisor_decisions',
  'live_conversation_inbox',
  'turn_suggestions',
  'suggestion_requests',
  'suggestion_backfills',
  'advisor_shadows',
  'advisor_shadow_decisions',
  'advisor_retrains',
];

export async function snapshotDatabase(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    out[t] = await db().$queryRawUnsafe(`SELECT to_jsonb(x) - 'search' AS row FROM ${t} x ORDER BY 1`);
  }
  return out;
}

export async function resetDatabase(): Promise<void> {
  await db().$executeRawUnsafe(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
}
