// The text-search configuration of the search document and of queries. 'simple' (lower-
// casing, no stemming) indexes about a third faster than 'english', and prefix matching
// below already finds "scheduled" for "schedul".
export const SEARCH_CONFIG = 'simple';

/** SQL for a conversation's search document from SQL expressions for its parts. */
export function searchDocumentSql(name: string, job: string, body: string): string {
  return `to_tsvector('${SEARCH_CONFIG}', coalesce(${name}, '') || ' ' || coalesce(${job}, '') || ' ' || coalesce(${body}, ''))`;
}

/**
 * SQL for the search document of a grown conversation from its stored one (`doc`, built by
 * searchDocumentSql) and the text of the messages appended (`added`: their texts joined by ' ',
 * as searchDocumentSql's body joins them) — or NULL where it could differ from rebuilding the
 * document from the whole text, so the caller falls back to that rebuild.
 *
 * `doc || to_tsvector(added)` shifts the added positions by doc's largest one, which is the
 * rebuild's count of words before them unless a cap of tsvector dropped some: a word keeps at
 * most 255 positions, and positions stop at 16383. And the parser must cut the whole text where
 * the old ends: every token ends at the separating space except an HTML tag ('<b title="x y">',
 * skipped by the 'simple' configuration), which a '>' in the added text could close; and the
 * added text is parsed after a space, as in the whole text (at the very start of a string
 * './usr/bin' parses otherwise). So: incremental only when the added text has no '>' and no
 * word of the result is near a cap.
 * search-append.test.ts checks this against the rebuild on real PostgreSQL.
 */
export function appendedSearchSql(doc: string, added: string): string {
  return `CASE WHEN strpos(${added}, '>') = 0 THEN (
    SELECT CASE WHEN (SELECT coalesce(bool_and(array_length(u.positions, 1) < 255 AND u.positions[array_length(u.positions, 1)] < 16383), true)
                      FROM unnest(x.v) u) THEN x.v END
    FROM (SELECT ${doc} || to_tsvector('${SEARCH_CONFIG}', ' ' || ${added}) AS v) x
  ) END`;
}

// Turns what a recruiter types into a prefix-matching tsquery ("wareh driv" finds
// "warehouse drivers"). Only letters and digits survive, so user text never reaches
// to_tsquery's own syntax.
export function toPrefixTsQuery(q: string): string | null {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8);
  if (words.length === 0) return null;
  return words.map((w) => `${w}:*`).join(' & ');
}
