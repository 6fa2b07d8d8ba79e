// Which labels agreement is measured on, as SQL conditions shared by every aggregate on the
// agreement page (and the benchmark), so the numbers can never be computed over different sets.
//
// - Golden conversations are out: their labels are fixed by a file, not given by reviewers.
// - Import sources (`import@<file>` accounts, lib/auth/account-kind.ts) are out unless asked
//   for: they are files, not people, and would otherwise pair with every reviewer who relabels.
// - Opening messages count when someone labeled them (rare: labeling them is optional). Leaving
//   them out would cost a pass over every message for a handful of labels; datasets and the
//   adjudication queue leave them out, since they are never training examples.
//
// The conditions are hashed subplans over a few rows (golden conversations, people), so
// PostgreSQL filters labels as it scans them instead of joining 1M rows to other tables.
import { z } from 'zod';
import { IMPORT_SOURCE_PREFIX } from '../auth/account-kind';

export const agreementScopeSchema = z.object({
  includeImports: z.boolean().default(false),
});
export type AgreementScope = z.infer<typeof agreementScopeSchema>;

// `_` and `%` are LIKE wildcards; the prefix has neither, which this guards.
if (/[_%\\]/.test(IMPORT_SOURCE_PREFIX)) throw new Error('IMPORT_SOURCE_PREFIX must not hold LIKE wildcards');

/** SQL that is true for a `users u` row that is an import source. */
export const IMPORT_SOURCE_SQL = `lower(u.email) LIKE '${IMPORT_SOURCE_PREFIX}%'`;

/** Conditions on a `labels` alias (its conversation, and its reviewer unless `reviewer: false`). No parameters. */
export function labelScopeSql(alias: string, scope: AgreementScope, opts: { reviewer?: boolean; conversation?: boolean } = {}): string {
  const parts: string[] = [];
  if (opts.conversation !== false) parts.push(`${alias}.conversation_id NOT IN (SELECT g.id FROM conversations g WHERE g.is_golden)`);
  if (opts.reviewer !== false && !scope.includeImports) parts.push(`${alias}.reviewer_id IN (SELECT u.id FROM users u WHERE NOT ${IMPORT_SOURCE_SQL})`);
  return parts.length ? parts.join(' AND ') : 'true';
}

/**
 * Run before the aggregate, inside its transaction: the self-join's hash table of 1M labels
 * fits in memory instead of spilling to disk (SET LOCAL: gone at commit, safe behind PgBouncer).
 */
export const AGREEMENT_WORK_MEM_SQL = `SET LOCAL work_mem = '64MB'`;
