// Which labels agreement is measured on, as one SQL fragment shared by every aggregate on the
// agreement page (and the benchmark), so the numbers can never be computed over different sets.
//
// - Golden conversations are out: their labels are fixed by a file, not given by reviewers.
// - Opening messages are out: nothing comes before them, they are not decisions (as in datasets).
// - Import sources (`import@<file>` accounts, lib/auth/account-kind.ts) are out unless asked
//   for: they are files, not people, and would otherwise pair with every reviewer who relabels.
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

/**
 * `(message_id, reviewer_id, value)` for every label in scope. No parameters, so it can be
 * embedded in any statement.
 */
export function scopedLabelsSql(scope: AgreementScope): string {
  return `SELECT l.message_id, l.reviewer_id, l.value
    FROM labels l
    JOIN conversations c ON c.id = l.conversation_id
    JOIN messages m ON m.id = l.message_id
    ${scope.includeImports ? '' : 'JOIN users u ON u.id = l.reviewer_id'}
    WHERE NOT c.is_golden AND m.position > 0${scope.includeImports ? '' : ` AND NOT ${IMPORT_SOURCE_SQL}`}`;
}
