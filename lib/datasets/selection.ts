// Which conversations a dataset draws from: those with at least one labeled turn, optionally
// narrowed by the conversations page's full-text search. One SQL fragment for the pre-check
// and the build, so they can never disagree.
import { SEARCH_CONFIG, toPrefixTsQuery } from '../conversations/search-query';
import type { DatasetParams } from './params';

/** WHERE clause over `conversations c`; `$n` placeholders start at `firstParam`. */
export function selectionWhere(params: Pick<DatasetParams, 'search'>, firstParam: number): { sql: string; values: string[] } {
  const tsq = toPrefixTsQuery(params.search);
  if (!tsq) return { sql: 'c.labeled_turns > 0', values: [] };
  return { sql: `c.labeled_turns > 0 AND c.search @@ to_tsquery('${SEARCH_CONFIG}', $${firstParam})`, values: [tsq] };
}

export function describeSelection(params: Pick<DatasetParams, 'search'>): string {
  return params.search ? `labeled turns in conversations matching "${params.search}"` : 'labeled turns';
}
