// THE LOCK ORDER. Every transaction that writes conversations, messages, labels,
// label_events or conversation_reviewers follows it — today labelTurn
// (lib/labeling/label-turn.ts) and the import (lib/imports/import-conversations.ts):
//
//   0. Imports only: the import lock (IMPORT_LOCK_SQL), so one import merges at a time and
//      two imports never race on the same new external_id.
//   1. The row of every existing conversation the transaction will write anything of,
//      FOR UPDATE, in ascending id order, in one statement, before its first write to
//      any of the tables above. (A conversation the transaction inserts itself is its own.)
//   2. Then, in any order, what belongs to those conversations: their messages, labels,
//      history rows, reviewer progress and the conversation row's counters.
//
// A writer holding one conversation and waiting for another can then only wait for a
// writer that holds higher ids and waits for none of its own, so there is no cycle: no
// deadlock between reviewers and imports. (Before this order, the import locked messages
// and labels first and conversations last while labelTurn did the opposite, and 31 of 33
// re-imports under reviewer load died with "deadlock detected".)
//
// Read what a write depends on — the current label, the value a history row says it
// replaced — in a statement AFTER the one that took the lock. Under READ COMMITTED every
// statement sees the data committed when it started; the statement that waited for the lock
// started before the writer it waited for committed, so whatever else it reads is from
// before that write (that is how two tabs of one reviewer produced history rows whose
// `from_value` was never the stored value).

/** $1: int[] of conversation ids. Returns the ids that still exist, locked. */
export const LOCK_CONVERSATIONS_SQL = `SELECT id FROM conversations WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`;

/** A transaction-scoped advisory lock (safe behind PgBouncer in transaction mode). */
export const IMPORT_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('exit-advisor-studio:import'))`;
