import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../src/server/db/database'
import { createSessionServer } from '../../src/server/index'
import { silentLogger } from '../../src/server/logger'
import { recomputeFlags } from '../../src/server/students/warnings/recompute'
import { Thresholds } from '../../src/server/students/warnings/thresholds'
import { AtRiskResponseSchema } from '../../src/shared/students/warnings'
import { generateSchool } from './recordsSchool'
import { metric, type Metric } from './stats'

/** Fastest and slowest of a list, for the log. */
function spread(values: number[]): string {
  return `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} ms`
}

/**
 * Student records at a school's size, on the embedded database (PGlite in a
 * data folder, as the tutor's app and small servers run it), no browser:
 * a generated school of 2,000 students with 12 weeks of lessons, homework,
 * ratings and practice.
 * - `flags_recompute_ms`: every student's early-warning flags worked out
 *   and written (the first run raises them, later runs refresh them).
 * - `roster_dashboard_ms`: GET /api/roster/at-risk with the school's staff
 *   key (the whole school, the largest dashboard) over HTTP from a session
 *   server on that folder, flags already current: the request's wall time.
 * Logged too: the first dashboard after a restart with the flags just
 * worked out (answered from them) and as if an hour later (stale: it waits
 * for a recompute), and the spread of each figure.
 */
export async function benchRecords(runs: number): Promise<Record<string, Metric>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'duet-bench-records-'))
  const dir = join(dataDir, 'db')
  const now = Date.now()
  try {
    const database = await openDatabase({ kind: 'pglite', dir }, silentLogger)
    const generated = Date.now()
    const school = await generateSchool(database.db, now)
    console.log(`  generated ${school.students} students, ${school.rows} rows in ${((Date.now() - generated) / 1000).toFixed(1)} s`)
    const recompute: number[] = []
    for (let i = 0; i < runs; i++) {
      const started = performance.now()
      const result = await recomputeFlags(database.db, new Thresholds(database.db, () => now), now, 'Asia/Shanghai')
      recompute.push(performance.now() - started)
      if (i === 0) console.log(`  first recompute: ${result.raised} flags raised for ${result.students} students`)
    }
    await database.close()

    const serve = (clock: () => number) =>
      createSessionServer({
        host: '127.0.0.1',
        port: 0,
        dataDir,
        logger: silentLogger,
        now: clock,
        tutorKeys: [
          { key: school.staffKey, id: 'staff', role: 'staff' },
          { key: school.tutorKey, id: 'tutor-0' },
        ],
      })
    const open = async (url: string): Promise<number> => {
      const started = performance.now()
      const response = await fetch(`${url}/api/roster/at-risk`, { headers: { Authorization: `Bearer ${school.staffKey}` } })
      const body = AtRiskResponseSchema.parse(await response.json())
      const ms = performance.now() - started
      if (body.total !== school.students) throw new Error(`the dashboard counted ${body.total} students, not ${school.students}`)
      return ms
    }
    const dashboard: number[] = []
    const server = await serve(Date.now)
    try {
      // The server starts on flags worked out moments ago (the runs above): it answers from them.
      const first = await open(server.url)
      console.log(`  first dashboard after a restart, flags ${((Date.now() - now) / 1000).toFixed(0)} s old: ${first.toFixed(0)} ms`)
      for (let i = 0; i < Math.max(runs, 10); i++) dashboard.push(await open(server.url))
      const body = AtRiskResponseSchema.parse(await (await fetch(`${server.url}/api/roster/at-risk`, { headers: { Authorization: `Bearer ${school.staffKey}` } })).json())
      console.log(`  dashboard: ${body.flagged} of ${body.total} flagged, ${body.students.length} shown, school inactive ${body.school?.inactivePercent ?? '?'} %`)
    } finally {
      await server.close()
    }
    // The same folder opened as if an hour later (the flags are stale): the first dashboard waits for every flag worked out again.
    const later = await serve(() => Date.now() + 3_600_000)
    try {
      console.log(`  first dashboard after a restart, flags an hour old: ${(await open(later.url)).toFixed(0)} ms`)
    } finally {
      await later.close()
    }
    console.log(`  spread: recompute ${spread(recompute)}, dashboard ${spread(dashboard)}`)
    return { flags_recompute_ms: metric(recompute, 'ms'), roster_dashboard_ms: metric(dashboard, 'ms') }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
