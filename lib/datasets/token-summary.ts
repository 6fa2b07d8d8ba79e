// Distribution of tokens per example: the notebook's figures (min, max, mean, median, and its
// "p5/p95", which are really the 0.1 / 0.9 quantiles) plus a histogram for the dataset page.

export interface TokenSummary {
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p10: number;
  p90: number;
  histogram: { from: number; to: number; count: number }[];
}

function quantile(sorted: Int32Array, q: number): number {
  if (sorted.length === 0) return 0;
  // numpy's default linear interpolation, as the notebook uses.
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function niceWidth(range: number, bins: number): number {
  const raw = Math.max(1, range / bins);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function summariseTokens(values: Int32Array): TokenSummary {
  const sorted = Int32Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return { n: 0, min: 0, max: 0, mean: 0, median: 0, p10: 0, p90: 0, histogram: [] };
  let sum = 0;
  for (const v of sorted) sum += v;
  const min = sorted[0];
  const max = sorted[n - 1];
  const width = niceWidth(max - min + 1, 20);
  const start = Math.floor(min / width) * width;
  const histogram: TokenSummary['histogram'] = [];
  for (let from = start; from <= max; from += width) histogram.push({ from, to: from + width - 1, count: 0 });
  for (const v of sorted) histogram[Math.floor((v - start) / width)].count++;
  return {
    n,
    min,
    max,
    mean: Math.round((sum / n) * 10) / 10,
    median: quantile(sorted, 0.5),
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    histogram,
  };
}
