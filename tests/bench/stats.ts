/** One metric as stored in bench-results.json. */
export interface Metric {
  median: number
  p95: number
  unit: string
  runs: number
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] ?? NaN
}

export function metric(values: number[], unit: string): Metric {
  const round = (n: number) => Math.round(n * 10) / 10
  return { median: round(percentile(values, 50)), p95: round(percentile(values, 95)), unit, runs: values.length }
}
