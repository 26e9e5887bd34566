import { describe, expect, it } from 'vitest'
import type { SessionServer } from '../../../../src/server/index'
import { DEFAULT_THRESHOLDS, WarningSettingsSchema } from '../../../../src/shared/students/warnings'
import { BACKENDS, suiteDatabase } from '../../../support/databases'
import { fakeClock, serversClosedAfterEach } from '../helpers'
import { LI, OFFICE, SCHOOL_KEYS, ZHANG, addStudent, getAs, postAs } from './helpers'

describe.each(BACKENDS)('the thresholds settings screen’s routes (%s)', (backend) => {
  const database = suiteDatabase(backend)
  const started = serversClosedAfterEach()
  const school = (): Promise<SessionServer> => started({ database, tutorKeys: SCHOOL_KEYS, now: fakeClock(Date.UTC(2030, 0, 7, 8, 0)).now, timeZone: 'UTC' })

  it('each sees their thresholds and what they fall back to; reset goes back to it; only a tutor or staff key changes anything', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei' })
    const settings = async (key: string) => WarningSettingsSchema.parse(await (await getAs(server, '/api/roster/warnings/settings', key)).json())
    const change = async (key: string, path: string, body: unknown = {}) => WarningSettingsSchema.parse(await (await postAs(server, `/api/roster/warnings/settings${path}`, key, body)).json())

    expect(await settings(LI)).toEqual({ scope: 'tutor', thresholds: DEFAULT_THRESHOLDS, defaults: DEFAULT_THRESHOLDS })
    expect(await change(OFFICE, '', { inactiveDays: 5 })).toMatchObject({ scope: 'school', thresholds: { inactiveDays: 5 }, defaults: DEFAULT_THRESHOLDS })
    expect(await change(LI, '', { inactiveDays: 3, homeworkLateCount: 4 })).toMatchObject({ scope: 'tutor', thresholds: { inactiveDays: 3, homeworkLateCount: 4 }, defaults: { inactiveDays: 5 } })
    // Another tutor of the school follows the school's.
    expect((await settings(ZHANG)).thresholds.inactiveDays).toBe(5)

    // A tutor's reset: the school's thresholds again (all of them); the school's reset: the built-in defaults.
    expect((await change(LI, '/reset')).thresholds).toEqual({ ...DEFAULT_THRESHOLDS, inactiveDays: 5 })
    expect(await change(OFFICE, '/reset')).toEqual({ scope: 'school', thresholds: DEFAULT_THRESHOLDS, defaults: DEFAULT_THRESHOLDS })
    expect((await settings(LI)).thresholds).toEqual(DEFAULT_THRESHOLDS)

    // Out of range, unknown fields, no key, a student's code: refused, nothing changes.
    expect((await postAs(server, '/api/roster/warnings/settings', LI, { inactiveDays: 0 })).status).toBe(400)
    expect((await postAs(server, '/api/roster/warnings/settings', LI, { inactiveDays: 3, unknown: 1 })).status).toBe(400)
    expect((await postAs(server, '/api/roster/warnings/settings', LI, { completionBelowPercent: '20' })).status).toBe(400)
    expect((await fetch(`${server.url}/api/roster/warnings/settings/reset`, { method: 'POST' })).status).toBe(401)
    expect((await postAs(server, '/api/roster/warnings/settings', wei.code, { inactiveDays: 1 })).status).toBe(401)
    expect((await settings(LI)).thresholds).toEqual(DEFAULT_THRESHOLDS)
  })
})
