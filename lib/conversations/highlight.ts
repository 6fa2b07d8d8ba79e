// Search matches in list text, as parts to render (as text, each match in a <mark>): the same
// prefix rule as the search itself (lib/conversations/search-query.ts), so what is marked is
// what made the row match. No HTML is ever built from user text.

export interface TextPart {
  text: string;
  match: boolean;
}

/** The query's words, lower-cased, as the search uses them. */
export function queryWords(q: string): string[] {
  return q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8);
}

/** Splits `text` into runs, marking every word that starts with one of the query's words. */
export function highlightParts(text: string, q: string): TextPart[] {
  const words = queryWords(q);
  if (words.length === 0 || !text) return text ? [{ text, match: false }] : [];
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const token = m[0].toLowerCase();
    if (!words.some((w) => token.startsWith(w))) continue;
    const start = m.index ?? 0;
    if (start > last) parts.push({ text: text.slice(last, start), match: false });
    parts.push({ text: m[0], match: true });
    last = start + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/** About `width` characters of `text` around its first match, with … where it was cut. */
export function snippetAround(text: string, q: string, width = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= width) return flat;
  const first = highlightParts(flat, q).reduce<{ at: number; found: number }>(
    (acc, p) => (acc.found < 0 && p.match ? { at: acc.at, found: acc.at } : { at: acc.at + p.text.length, found: acc.found }),
    { at: 0, found: -1 },
  ).found;
  const start = Math.max(0, Math.min(flat.length - width, (first < 0 ? 0 : first) - Math.floor(width / 3)));
  return `${start > 0 ? '…' : ''}${flat.slice(start, start + width).trim()}${start + width < flat.length ? '…' : ''}`;
}
