// Which conversations a dataset draws from: those with at least one labeled turn, optionally
// narrowed by the conversations page's full-text search. One SQL fragment for the pre-check
// and the build, so they can never disagree.
import { SEARCH_CONFIG, toPrefixTsQuery } from '../conversations/search-query';
import type { DatasetParams } from './params';

/**
 * WHERE clause over `conversations c`; `$n` placeholders start at `firstParam`. A labels dataset
 * never draws from the golden set (it must never reach a training file); a golden dataset draws
 * from nothing else.
 */
export function selectionWhere(
  params: Pick<DatasetParams, 'search'>,
  firstParam: number,
  kind: 'labels' | 'golden' = 'labels',
): { sql: string; values: string[] } {
  const base = `c.labeled_turns > 0 AND ${kind === 'golden' ? '' : 'NOT '}c.is_golden`;
  const tsq = toPrefixTsQuery(params.search);
  if (!tsq) return { sql: base, values: [] };
  return { sql: `${base} AND c.search @@ to_tsquery('${SEARCH_CONFIG}', $${firstParam})`, values: [tsq] };
}

export function describeSelection(params: Pick<DatasetParams, 'search'>): string {
  return params.search ? `labeled turns in conversations matching "${params.search}"` : 'labeled turns';
}
