import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { Metric } from './stats'

const FILE = 'bench-results.json'

/** Merges this run's metrics into bench-results.json (other issues add theirs to the same file). */
export function saveMetrics(metrics: Record<string, Metric>): Record<string, Metric> {
  let existing: Record<string, Metric> = {}
  if (existsSync(FILE)) {
    try {
      existing = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, Metric>
    } catch {
      existing = {}
    }
  }
  const merged = { ...existing, ...metrics }
  writeFileSync(FILE, JSON.stringify(merged, null, 2) + '\n')
  return merged
}
