// How the agreement pages print κ and rates, and the words next to a κ.
export const kappaText = (k: number | null | undefined) => (k === null || k === undefined ? '—' : k.toFixed(2));
export const pctText = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
export const countText = (n: number) => n.toLocaleString('en-US');

/** Landis & Koch's bands: the usual reading of a κ, shown beside the number. */
export function kappaBand(k: number | null): string {
  if (k === null) return '—';
  if (k < 0) return 'worse than chance';
  if (k <= 0.2) return 'slight';
  if (k <= 0.4) return 'fair';
  if (k <= 0.6) return 'moderate';
  if (k <= 0.8) return 'substantial';
  return 'almost perfect';
}

/** A reviewer as the pages name them: the name, or the email when there is none. */
export const reviewerName = (r: { name: string; email: string }) => r.name || r.email;
