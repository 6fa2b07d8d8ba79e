// The text-search configuration of the search document and of queries. 'simple' (lower-
// casing, no stemming) indexes about a third faster than 'english', and prefix matching
// below already finds "scheduled" for "schedul".
export const SEARCH_CONFIG = 'simple';

/** SQL for a conversation's search document from SQL expressions for its parts. */
export function searchDocumentSql(name: string, job: string, body: string): string {
  return `to_tsvector('${SEARCH_CONFIG}', coalesce(${name}, '') || ' ' || coalesce(${job}, '') || ' ' || coalesce(${body}, ''))`;
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
