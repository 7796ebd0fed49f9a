// Latency summaries by nearest rank: p99 of 1,000 samples is the 990th smallest.

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summarize(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    count: list.length,
    p50: round(percentile(list, 0.5)),
    p90: round(percentile(list, 0.9)),
    p99: round(percentile(list, 0.99)),
    max: round(list.at(-1) ?? 0),
  };
}
