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

    const server = await createSessionServer({
      host: '127.0.0.1',
      port: 0,
      dataDir,
      logger: silentLogger,
      tutorKeys: [
        { key: school.staffKey, id: 'staff', role: 'staff' },
        { key: school.tutorKey, id: 'tutor-0' },
      ],
    })
    const dashboard: number[] = []
    try {
      const open = async (): Promise<number> => {
        const started = performance.now()
        const response = await fetch(`${server.url}/api/roster/at-risk`, { headers: { Authorization: `Bearer ${school.staffKey}` } })
        const body = AtRiskResponseSchema.parse(await response.json())
        const ms = performance.now() - started
        if (body.total !== school.students) throw new Error(`the dashboard counted ${body.total} students, not ${school.students}`)
        return ms
      }
      // The first opening waits for the server's start-up recompute; it is not what a tutor sees later.
      const first = await open()
      console.log(`  first dashboard (after the start-up recompute): ${first.toFixed(0)} ms`)
      for (let i = 0; i < Math.max(runs, 10); i++) dashboard.push(await open())
      const body = AtRiskResponseSchema.parse(await (await fetch(`${server.url}/api/roster/at-risk`, { headers: { Authorization: `Bearer ${school.staffKey}` } })).json())
      console.log(`  dashboard: ${body.flagged} of ${body.total} flagged, ${body.students.length} shown, school inactive ${body.school?.inactivePercent ?? '?'} %`)
    } finally {
      await server.close()
    }
    return { flags_recompute_ms: metric(recompute, 'ms'), roster_dashboard_ms: metric(dashboard, 'ms') }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
