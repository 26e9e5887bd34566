import { beforeEach, describe, expect, it } from 'vitest'
import type { SessionServer } from '../../../../src/server/index'
import { ThreadsResponseSchema } from '../../../../src/shared/chat/thread'
import { MyRecordSchema, StudentRecordSchema } from '../../../../src/shared/students/record'
import { AtRiskResponseSchema, DigestSchema, RecordActionSchema } from '../../../../src/shared/students/warnings'
import { CreateLessonResponseSchema, JoinResponseSchema } from '../../../../src/shared/lesson/api'
import { BACKENDS, suiteDatabase } from '../../../support/databases'
import { TestClient, fakeClock, postJson, serversClosedAfterEach, startServer } from '../helpers'
import { LI, OFFICE, SCHOOL_KEYS, TUE_THU, ZHANG, addStudent, bearer, getAs, postAs } from './helpers'

const DAY = 86_400_000

describe.each(BACKENDS)('early warning on the server (%s)', (backend) => {
  const database = suiteDatabase(backend)
  const started = serversClosedAfterEach()
  let clock: ReturnType<typeof fakeClock>
  beforeEach(() => {
    clock = fakeClock(Date.UTC(2030, 0, 7, 8, 0)) // Monday
  })
  const school = (): Promise<SessionServer> => started({ database, tutorKeys: SCHOOL_KEYS, now: clock.now, timeZone: 'UTC' })
  const dashboard = async (server: SessionServer, key: string) => AtRiskResponseSchema.parse(await (await getAs(server, '/api/roster/at-risk', key)).json())

  /** A real lesson with the student, through their personal link. */
  async function lessonWith(server: SessionServer, code: string, minutes = 60): Promise<string> {
    const lesson = CreateLessonResponseSchema.parse(await (await postJson(server, '/api/lessons', { tutorName: 'Ms Li' }, bearer(LI))).json())
    const joined = JoinResponseSchema.parse(await (await postAs(server, '/api/me/join', code)).json())
    const tutor = await TestClient.join(server, lesson.tutorToken)
    await tutor.next('welcome')
    const student = await TestClient.join(server, joined.studentToken)
    await student.next('welcome')
    clock.advance(minutes * 60_000)
    tutor.send({ type: 'end-lesson' })
    await tutor.next('lesson-ended')
    return lesson.lessonId
  }

  it('a student who stops coming shows up flagged with evidence, for their tutor and the school only', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei', plan: { ...TUE_THU, timeZone: 'UTC' } })
    const ana = await addStudent(server, LI, { name: 'Ana' })
    await addStudent(server, ZHANG, { name: 'Bo' })
    await lessonWith(server, wei.code)
    await lessonWith(server, ana.code)
    expect((await dashboard(server, LI)).students).toEqual([])

    clock.advance(8 * DAY)
    const seen = await dashboard(server, LI)
    expect(seen).toMatchObject({ total: 2, flagged: 2, more: 0, school: null })
    const flagged = seen.students.find((s) => s.id === wei.id)
    expect(flagged?.flags.map((f) => f.rule)).toContain('inactive')
    expect(flagged?.flags.find((f) => f.rule === 'inactive')).toMatchObject({
      suggestedAction: 'check_in',
      evidence: { rule: 'inactive', days: 8, plannedPerWeek: 2 },
    })
    expect((await dashboard(server, ZHANG)).students.map((s) => s.name)).toEqual(['Bo'])
    const office = await dashboard(server, OFFICE)
    expect(office).toMatchObject({ total: 3, flagged: 3 })
    expect(office.school).toEqual({ inactivePercent: 100, alertPercent: 5, alert: true })
    expect((await getAs(server, '/api/roster/at-risk', wei.code)).status).toBe(401)

    // The roster says how many open flags each student has; the record lists them.
    const record = StudentRecordSchema.parse(await (await getAs(server, `/api/roster/${wei.id}`, LI)).json())
    expect(record.flags.map((f) => f.rule)).toContain('inactive')
  })

  it('message, reschedule, snooze and dismiss are kept in the record; a flag resolves when the student is back', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei', plan: { ...TUE_THU, timeZone: 'UTC' } })
    await lessonWith(server, wei.code)
    clock.advance(8 * DAY)
    const flag = (await dashboard(server, LI)).students[0]?.flags.find((f) => f.rule === 'inactive')
    if (!flag) throw new Error('no flag')

    const message = RecordActionSchema.parse(await (await postAs(server, `/api/roster/${wei.id}/actions`, LI, { flagId: flag.id, action: { kind: 'message', text: 'We missed you on Tuesday — all well?' } })).json())
    expect(message).toMatchObject({ kind: 'message', by: 'Ms Li', flagId: flag.id })
    // It waits for Wei in their thread with the tutor, unread; the record's own list is for the school's staff.
    const threads = ThreadsResponseSchema.parse(await (await getAs(server, '/api/threads', wei.code)).json())
    expect(threads.threads).toEqual([expect.objectContaining({ studentId: wei.id, unread: 1, lastAt: clock.now() })])
    const office = RecordActionSchema.parse(await (await postAs(server, `/api/roster/${wei.id}/actions`, OFFICE, { flagId: flag.id, action: { kind: 'message', text: 'The school is here to help' } })).json())
    const mine = MyRecordSchema.parse(await (await getAs(server, '/api/me', wei.code)).json())
    expect(mine.messages).toEqual([{ id: office.id, text: 'The school is here to help', at: clock.now(), from: office.by }])
    expect(ThreadsResponseSchema.parse(await (await getAs(server, '/api/threads', wei.code)).json()).threads[0]?.unread).toBe(1)
    expect((await dashboard(server, LI)).students[0]?.flags.find((f) => f.id === flag.id)?.lastAction?.kind).toBe('message')

    clock.advance(60_000)
    const to = clock.now() + 2 * DAY + 3_600_000
    await postAs(server, `/api/roster/${wei.id}/actions`, LI, { flagId: flag.id, action: { kind: 'reschedule', to, note: 'Thursday instead' } })
    const record = StudentRecordSchema.parse(await (await getAs(server, `/api/roster/${wei.id}`, LI)).json())
    expect(record.scheduleChanges).toEqual([expect.objectContaining({ to, note: 'Thursday instead' })])

    // Snoozed: off the dashboard for the days asked, then back.
    clock.advance(60_000)
    await postAs(server, `/api/roster/${wei.id}/actions`, LI, { flagId: flag.id, action: { kind: 'snooze', days: 3 } })
    expect((await dashboard(server, LI)).students).toEqual([])
    clock.advance(3 * DAY)
    expect((await dashboard(server, LI)).students[0]?.flags.map((f) => f.id)).toContain(flag.id)

    // Dismissed: stays off while the rule keeps firing.
    await postAs(server, `/api/roster/${wei.id}/actions`, LI, { flagId: flag.id, action: { kind: 'dismiss', note: 'Family holiday' } })
    expect((await dashboard(server, LI)).students.flatMap((s) => s.flags.map((f) => f.id))).not.toContain(flag.id)
    clock.advance(40 * 60_000)
    expect((await dashboard(server, LI)).students.flatMap((s) => s.flags.map((f) => f.id))).not.toContain(flag.id)

    const kept = StudentRecordSchema.parse(await (await getAs(server, `/api/roster/${wei.id}`, LI)).json())
    expect(kept.actions.map((a) => a.kind)).toEqual(['dismiss', 'snooze', 'reschedule', 'message', 'message'])
    // Snooze and dismiss need a flag; a flag of another student is not found.
    expect((await postAs(server, `/api/roster/${wei.id}/actions`, LI, { flagId: null, action: { kind: 'snooze', days: 1 } })).status).toBe(400)
    const ana = await addStudent(server, LI, { name: 'Ana' })
    expect((await postAs(server, `/api/roster/${ana.id}/actions`, LI, { flagId: flag.id, action: { kind: 'message', text: 'x' } })).status).toBe(404)
    expect((await postAs(server, `/api/roster/${wei.id}/actions`, ZHANG, { flagId: flag.id, action: { kind: 'message', text: 'x' } })).status).toBe(404)
    // Refused check-ins reached nobody's thread.
    expect(ThreadsResponseSchema.parse(await (await getAs(server, '/api/threads', ana.code)).json()).threads[0]?.unread ?? 0).toBe(0)

    // Back in a lesson: the inactivity flag resolves.
    await lessonWith(server, wei.code)
    await expect.poll(async () => (await database.db.selectFrom('flags').select('state').where('id', '=', flag.id).executeTakeFirst())?.state).toBe('resolved')
  })

  it('thresholds: a tutor’s own, else the school’s, else the defaults', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei' })
    const bo = await addStudent(server, ZHANG, { name: 'Bo' })
    clock.advance(4 * DAY)
    expect((await dashboard(server, OFFICE)).flagged).toBe(0)
    expect((await postAs(server, '/api/roster/warnings/settings', OFFICE, { inactiveDays: 5 })).status).toBe(200)
    expect((await postAs(server, '/api/roster/warnings/settings', LI, { inactiveDays: 3 })).status).toBe(200)
    expect((await postAs(server, '/api/roster/warnings/settings', LI, { inactiveDays: 0 })).status).toBe(400)
    expect((await (await getAs(server, '/api/roster/warnings/settings', ZHANG)).json()).thresholds.inactiveDays).toBe(5)
    await expect.poll(async () => (await dashboard(server, OFFICE)).students.map((s) => s.id)).toEqual([wei.id])
    clock.advance(DAY)
    await postAs(server, '/api/roster/warnings/settings', LI, {})
    await expect.poll(async () => (await dashboard(server, OFFICE)).students.map((s) => s.id).sort()).toEqual([wei.id, bo.id].sort())
  })

  it('the digest lists students newly flagged since the tutor last read it', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei' })
    clock.advance(8 * DAY)
    const digest = DigestSchema.parse(await (await getAs(server, '/api/roster/digest', LI)).json())
    expect(digest.students).toEqual([{ id: wei.id, name: 'Wei', rules: ['inactive'] }])
    await postAs(server, '/api/roster/digest/seen', LI)
    clock.advance(DAY)
    expect(DigestSchema.parse(await (await getAs(server, '/api/roster/digest', LI)).json()).students).toEqual([])
    expect(DigestSchema.parse(await (await getAs(server, '/api/roster/digest', ZHANG)).json()).students).toEqual([])
  })

  it('a restarted server answers from the flags it stored while they are recent, works them out again in the background after a quarter of an hour, and waits only when they are stale', async () => {
    const restart = async (server: SessionServer): Promise<SessionServer> => {
      await server.close()
      return startServer({ database, tutorKeys: SCHOOL_KEYS, now: clock.now, timeZone: 'UTC' })
    }
    let server = await startServer({ database, tutorKeys: SCHOOL_KEYS, now: clock.now, timeZone: 'UTC' })
    try {
      const wei = await addStudent(server, LI, { name: 'Wei' })
      clock.advance(8 * DAY)
      const computedAt = clock.now()
      expect((await dashboard(server, LI)).computedAt).toBe(computedAt)
      expect(await database.db.selectFrom('flag_recomputes').selectAll().execute()).toEqual([{ scope: 'all', computed_at: computedAt }])

      // Ten minutes later: the stored flags are used as they are, nothing is worked out again.
      clock.advance(10 * 60_000)
      server = await restart(server)
      const first = await dashboard(server, LI)
      expect(first.computedAt).toBe(computedAt)
      expect(first.students.map((s) => s.id)).toEqual([wei.id])

      // Twenty minutes after the last run: answered at once, and worked out again in the background.
      clock.advance(10 * 60_000)
      server = await restart(server)
      expect((await dashboard(server, LI)).students.map((s) => s.id)).toEqual([wei.id])
      await expect.poll(async () => (await dashboard(server, LI)).computedAt).toBe(clock.now())

      // The next morning (stale: over half an hour): the first dashboard waits for flags worked out now.
      clock.advance(DAY)
      server = await restart(server)
      const stale = await dashboard(server, LI)
      expect(stale.computedAt).toBe(clock.now())
      expect(stale.students[0]?.flags.find((f) => f.rule === 'inactive')?.evidence).toMatchObject({ days: 9 })
    } finally {
      await server.close()
    }
  })

  it('working the flags out twice changes nothing; an archived student’s flags resolve', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei' })
    clock.advance(8 * DAY)
    await dashboard(server, LI)
    clock.advance(31 * 60_000)
    await dashboard(server, LI)
    expect(await database.db.selectFrom('flags').select(['rule', 'state']).execute()).toEqual([{ rule: 'inactive', state: 'open' }])
    await postAs(server, `/api/roster/${wei.id}/archive`, LI, { archived: true })
    clock.advance(31 * 60_000)
    expect((await dashboard(server, LI)).students).toEqual([])
    expect(await database.db.selectFrom('flags').select(['state']).execute()).toEqual([{ state: 'resolved' }])
  })
})
