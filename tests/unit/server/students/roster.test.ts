import { describe, expect, it } from 'vitest'
import type { SessionServer } from '../../../../src/server/index'
import { MyRecordSchema, StudentRecordSchema } from '../../../../src/shared/students/record'
import { InviteLessonsResponseSchema, LessonOwnerSchema, RosterResponseSchema } from '../../../../src/shared/students/roster'
import { JoinResponseSchema, CreateLessonResponseSchema } from '../../../../src/shared/lesson/api'
import { BACKENDS, suiteDatabase } from '../../../support/databases'
import { TestClient, fakeClock, joinLesson, postJson, startServer, serversClosedAfterEach } from '../helpers'
import { LI, OFFICE, SCHOOL_KEYS, TUE_THU, ZHANG, addStudent, bearer, getAs, postAs } from './helpers'

describe.each(BACKENDS)('rosters and personal links (%s)', (backend) => {
  const database = suiteDatabase(backend)
  const started = serversClosedAfterEach()
  const clock = fakeClock(Date.UTC(2030, 0, 7, 8, 0))
  const school = (): Promise<SessionServer> => started({ database, tutorKeys: SCHOOL_KEYS, now: clock.now })
  const roster = async (server: SessionServer, key: string, query = '') => RosterResponseSchema.parse(await (await getAs(server, `/api/roster${query}`, key)).json())

  it('a tutor keeps a roster: add, search, edit, archive; other tutors see none of it, staff see everyone', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei', subject: 'Maths', goal: 'Pass the gaokao', plan: TUE_THU, notes: 'Shy at first' })
    await addStudent(server, LI, { name: 'Ana', subject: 'Physics' })
    await addStudent(server, ZHANG, { name: 'Bo', subject: 'English' })

    expect(wei.code).toMatch(/^[2-9A-Z]{12}$/)
    expect(wei.link).toBe(`${server.publicUrl}/me/${wei.code}`)
    expect((await roster(server, LI)).students.map((s) => s.name)).toEqual(['Ana', 'Wei'])
    expect((await roster(server, LI, '?q=math')).students.map((s) => s.name)).toEqual(['Wei'])
    expect((await roster(server, ZHANG)).students.map((s) => s.name)).toEqual(['Bo'])
    const office = await roster(server, OFFICE)
    expect(office.role).toBe('staff')
    expect(office.students.map((s) => [s.name, s.tutorName])).toEqual([['Ana', 'Ms Li'], ['Bo', 'Mr Zhang'], ['Wei', 'Ms Li']])

    // Next planned lesson: Tuesday 17:00 in Shanghai is 09:00 UTC.
    const entry = (await roster(server, LI)).students.find((s) => s.id === wei.id)
    expect(entry?.nextLessonAt).toBe(Date.UTC(2030, 0, 8, 9, 0))

    // Another tutor cannot read, change or even learn that the student exists.
    expect((await getAs(server, `/api/roster/${wei.id}`, ZHANG)).status).toBe(404)
    expect((await postAs(server, `/api/roster/${wei.id}`, ZHANG, { name: 'Hacked' })).status).toBe(404)
    expect((await getAs(server, `/api/roster/${wei.id}`, OFFICE)).status).toBe(200)

    const edited = StudentRecordSchema.parse(await (await postAs(server, `/api/roster/${wei.id}`, LI, { goal: 'Top 10%' })).json())
    expect(edited.student).toMatchObject({ name: 'Wei', goal: 'Top 10%', subject: 'Maths' })
    expect((await postAs(server, `/api/roster/${wei.id}`, LI, { plan: { ...TUE_THU, timeZone: 'Mars/Olympus' } })).status).toBe(400)

    await postAs(server, `/api/roster/${wei.id}/archive`, LI, { archived: true })
    expect((await roster(server, LI)).students.map((s) => s.name)).toEqual(['Ana'])
    expect((await roster(server, LI, '?archived=1')).students.map((s) => s.name)).toEqual(['Wei'])
  })

  it('refuses anyone without a key, and a student code opens only that student’s own record', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei', plan: TUE_THU })
    const ana = await addStudent(server, LI, { name: 'Ana' })
    expect((await fetch(`${server.url}/api/roster`)).status).toBe(401)
    expect((await getAs(server, '/api/roster', 'not-a-key'.padEnd(32, 'x'))).status).toBe(401)
    expect((await getAs(server, '/api/roster', wei.code)).status).toBe(401)
    expect((await getAs(server, `/api/roster/${ana.id}`, wei.code)).status).toBe(401)

    const mine = MyRecordSchema.parse(await (await getAs(server, '/api/me', wei.code)).json())
    expect(mine).toMatchObject({ student: { id: wei.id, name: 'Wei' }, tutorName: 'Ms Li', openLesson: null, nextLessonAt: Date.UTC(2030, 0, 8, 9, 0) })
    // Typed with dashes and in lower case it is the same code.
    const typed = wei.code.toLowerCase().replace(/(.{4})(?!$)/g, '$1-')
    expect((await getAs(server, '/api/me', typed)).status).toBe(200)
    expect((await getAs(server, '/api/me', LI)).status).toBe(401)

    // A new code: the old link stops working at once.
    await postAs(server, `/api/roster/${wei.id}/code`, LI)
    expect((await getAs(server, '/api/me', wei.code)).status).toBe(401)
  })

  it('stops an address that keeps guessing codes', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei' })
    const statuses: number[] = []
    for (let i = 0; i < 22; i++) statuses.push((await getAs(server, '/api/me', `${'A'.repeat(11)}${'BCDEFGHJKMNPQRSTUVWXYZ'[i]}`)).status)
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    // Blocked means blocked: even the right code waits.
    expect((await getAs(server, '/api/me', wei.code)).status).toBe(429)
  })

  it('the personal link joins the lesson the tutor opened, and the lesson becomes the student’s', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei', plan: TUE_THU })
    expect((await postAs(server, '/api/me/join', wei.code)).status).toBe(409)

    const lesson = CreateLessonResponseSchema.parse(await (await postJson(server, '/api/lessons', { tutorName: 'Ms Li' }, bearer(LI))).json())
    expect(MyRecordSchema.parse(await (await getAs(server, '/api/me', wei.code)).json()).openLesson).toEqual({ lessonId: lesson.lessonId })
    const joined = JoinResponseSchema.parse(await (await postAs(server, '/api/me/join', wei.code)).json())
    expect(joined.lessonId).toBe(lesson.lessonId)
    const tutor = await TestClient.join(server, lesson.tutorToken)
    await tutor.next('welcome')
    const student = await TestClient.join(server, joined.studentToken)
    expect((await student.next('welcome')).self.name).toBe('Wei')
    clock.advance(45 * 60_000)
    tutor.send({ type: 'end-lesson' })
    await tutor.next('lesson-ended')

    const record = StudentRecordSchema.parse(await (await getAs(server, `/api/roster/${wei.id}`, LI)).json())
    expect(record.lessons).toEqual([expect.objectContaining({ id: lesson.lessonId, attended: true, minutes: 45 })])
    // Another tutor's open lesson is never offered to this student.
    await postJson(server, '/api/lessons', { tutorName: 'Mr Zhang' }, bearer(ZHANG))
    expect((await postAs(server, '/api/me/join', wei.code)).status).toBe(409)
  })

  it('a lesson started from a student’s record is theirs; a one-off invite can be attached on joining or afterwards', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei' })
    const bo = await addStudent(server, ZHANG, { name: 'Bo' })
    expect((await postJson(server, '/api/lessons', { tutorName: 'Ms Li', studentId: bo.id }, bearer(LI))).status).toBe(404)
    const forWei = CreateLessonResponseSchema.parse(await (await postJson(server, '/api/lessons', { tutorName: 'Ms Li', studentId: wei.id }, bearer(LI))).json())
    expect(MyRecordSchema.parse(await (await getAs(server, '/api/me', wei.code)).json()).openLesson?.lessonId).toBe(forWei.lessonId)

    // A one-off invite from a device that remembers Wei's link: the lesson is Wei's.
    const oneOff = CreateLessonResponseSchema.parse(await (await postJson(server, '/api/lessons', { tutorName: 'Ms Li' }, bearer(LI))).json())
    await postJson(server, `/api/invites/${oneOff.inviteCode}/join`, { studentName: 'Wei', studentCode: wei.code })
    // Another tutor's student code attributes nothing.
    const other = CreateLessonResponseSchema.parse(await (await postJson(server, '/api/lessons', { tutorName: 'Ms Li' }, bearer(LI))).json())
    await postJson(server, `/api/invites/${other.inviteCode}/join`, { studentName: 'Bo', studentCode: bo.code })
    const lessons = await database.db.selectFrom('lessons').select(['id', 'student_id']).execute()
    expect(lessons.find((l) => l.id === other.lessonId)?.student_id).toBeNull()
    expect(lessons.find((l) => l.id === oneOff.lessonId)?.student_id).toBe(wei.id)

    // Attached afterwards, by the lesson's own tutor only.
    const plain = CreateLessonResponseSchema.parse(await (await postJson(server, '/api/lessons', { tutorName: 'Ms Li' }, bearer(LI))).json())
    const inRoom = [await TestClient.join(server, plain.tutorToken), await TestClient.join(server, (await joinLesson(server, plain.inviteCode, 'Wei')).studentToken)]
    await inRoom[1]?.next('welcome')
    clock.advance(30 * 60_000)
    // Offered on Wei's page (the tutor's lessons a student joined by invite that belong to nobody), to Ms Li and the office, not to Mr Zhang.
    const offered = async (key: string) => InviteLessonsResponseSchema.parse(await (await getAs(server, `/api/roster/${wei.id}/invite-lessons`, key)).json())
    await expect.poll(async () => (await offered(LI)).lessons.map((l) => [l.id, l.studentName, l.minutes])).toEqual([[plain.lessonId, 'Wei', 30]])
    expect((await offered(OFFICE)).lessons.map((l) => l.id)).toEqual([plain.lessonId])
    expect((await getAs(server, `/api/roster/${wei.id}/invite-lessons`, ZHANG)).status).toBe(404)
    expect((await getAs(server, `/api/roster/${wei.id}/invite-lessons`, wei.code)).status).toBe(401)
    expect((await postAs(server, `/api/roster/lessons/${plain.lessonId}/student`, ZHANG, { studentId: bo.id })).status).toBe(404)
    expect((await postAs(server, `/api/roster/lessons/${plain.lessonId}/student`, LI, { studentId: bo.id })).status).toBe(404)
    expect((await postAs(server, `/api/roster/lessons/${plain.lessonId}/student`, LI, { studentId: wei.id })).status).toBe(200)
    const record = StudentRecordSchema.parse(await (await getAs(server, `/api/roster/${wei.id}`, LI)).json())
    expect(record.lessons.map((l) => l.id).sort()).toEqual([forWei.lessonId, oneOff.lessonId, plain.lessonId].sort())
    // Attached, it is offered no more.
    expect((await offered(LI)).lessons).toEqual([])
    // Whose it is, for the tutor's summary: Wei's; nobody's before; not another tutor's business.
    expect(LessonOwnerSchema.parse(await (await getAs(server, `/api/roster/lessons/${plain.lessonId}/student`, LI)).json())).toEqual({ studentId: wei.id, studentName: 'Wei' })
    expect(LessonOwnerSchema.parse(await (await getAs(server, `/api/roster/lessons/${other.lessonId}/student`, LI)).json())).toEqual({ studentId: null, studentName: null })
    expect((await getAs(server, `/api/roster/lessons/${plain.lessonId}/student`, ZHANG)).status).toBe(404)
  })

  it('a one-off invite joined with a student’s link is theirs in the database as soon as the join answers', async () => {
    // The lesson's first write (queued when it was made) may still be running when the join comes:
    // the attribution must not be an UPDATE that finds no row yet (it did about one join in eight).
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei' })
    const unattributed: string[] = []
    for (let round = 0; round < 8; round++) {
      const lesson = CreateLessonResponseSchema.parse(await (await postJson(server, '/api/lessons', { tutorName: 'Ms Li' }, bearer(LI))).json())
      expect((await postJson(server, `/api/invites/${lesson.inviteCode}/join`, { studentName: 'Wei', studentCode: wei.code })).status).toBe(200)
      const row = await database.db.selectFrom('lessons').select('student_id').where('id', '=', lesson.lessonId).executeTakeFirst()
      if (row?.student_id !== wei.id) unattributed.push(lesson.lessonId)
    }
    expect(unattributed).toEqual([])
  })

  it('on an open server each tutor device names its own roster with a key it made', async () => {
    const server = await started({ database, now: clock.now })
    const mine = `duet-tutor-${'a'.repeat(43)}`
    const theirs = `duet-tutor-${'b'.repeat(43)}`
    await addStudent(server, mine, { name: 'Wei' })
    expect((await roster(server, mine)).students.map((s) => s.name)).toEqual(['Wei'])
    expect((await roster(server, theirs)).students).toEqual([])
    expect((await getAs(server, '/api/roster', 'short')).status).toBe(401)
  })
})

describe('a server without a database', () => {
  it('says it keeps no records', async () => {
    const server = await startServer()
    try {
      const res = await getAs(server, '/api/roster', LI)
      expect(res.status).toBe(503)
      expect((await res.json()).error.code).toBe('records_unavailable')
      expect((await getAs(server, '/api/me', 'AAAABBBBCCCC')).status).toBe(503)
    } finally {
      await server.close()
    }
  })
})
