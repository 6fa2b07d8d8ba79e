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
