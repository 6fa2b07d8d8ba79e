// The suggester and the per-conversation "least confident open suggestion", as SQL shared by
// every writer: the suggestion job, the label write path and the importer all recompute
// conversations.min_suggestion_confidence with the same statement (lib/conversations/stats.ts
// runs it), so the list's uncertainty order never depends on who wrote last. No imports: the
// statement is used from lib/conversations without pulling the suggestion domain in.

/**
 * The model whose suggestions count: the advisor (the newest promotion), or before any
 * promotion the newest succeeded fine-tune. Must agree with currentSuggester() (suggester.ts).
 */
export const CURRENT_SUGGESTER_MODEL_SQL = `coalesce(
    (SELECT p.model FROM advisor_promotions p ORDER BY p.id DESC LIMIT 1),
    (SELECT j.fine_tuned_model FROM fine_tune_jobs j WHERE j.status = 'succeeded' AND j.fine_tuned_model IS NOT NULL
     ORDER BY j.finished_at DESC NULLS LAST, j.id DESC LIMIT 1))`;

/**
 * $1: int[] of conversation ids. The lowest confidence of the current suggester's suggestions
 * on turns nobody has labeled, 'Infinity' when there is none. Writes only rows whose value
 * changes. The caller holds these conversations' row locks (lib/labeling/lock-order.ts).
 */
export const REFRESH_MIN_SUGGESTION_CONFIDENCE = `
  WITH cur AS MATERIALIZED (SELECT ${CURRENT_SUGGESTER_MODEL_SQL} AS model),
  s AS MATERIALIZED (
    SELECT ids.id, coalesce((
      SELECT min(ts.confidence) FROM turn_suggestions ts
      WHERE ts.conversation_id = ids.id AND ts.model = (SELECT model FROM cur) AND ts.confidence IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.message_id = ts.message_id)
    ), 'Infinity'::float8) AS v
    FROM unnest($1::int[]) AS ids(id)
  )
  UPDATE conversations c SET min_suggestion_confidence = s.v
  FROM s
  WHERE c.id = s.id AND c.min_suggestion_confidence IS DISTINCT FROM s.v`;
