import { describe, expect, it } from 'vitest'
import type { SessionServer } from '../../../../src/server/index'
import { HomeworkSchema, HomeworkFileSchema, MAX_HOMEWORK_FILE_BYTES } from '../../../../src/shared/students/homework'
import { MyRecordSchema, StudentRecordSchema } from '../../../../src/shared/students/record'
import { CreateLessonResponseSchema, JoinResponseSchema } from '../../../../src/shared/lesson/api'
import { PracticePassResponseSchema } from '../../../../src/shared/ai/practice'
import { BACKENDS, suiteDatabase } from '../../../support/databases'
import { startFakeModel } from '../../../support/fakeModel'
import { TestClient, fakeClock, postJson, startServer, serversClosedAfterEach } from '../helpers'
import { ask } from '../ai/helpers'
import { LI, SCHOOL_KEYS, TUE_THU, ZHANG, addStudent, bearer, getAs, postAs } from './helpers'

const DAY = 86_400_000
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const PDF = new TextEncoder().encode('%PDF-1.4\n% a worksheet\n')

async function upload(server: SessionServer, path: string, token: string, body: Uint8Array): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'application/octet-stream' }, body: body as Uint8Array<ArrayBuffer> })
}

describe.each(BACKENDS)('homework, ratings and practice in the record (%s)', (backend) => {
  const database = suiteDatabase(backend)
  const started = serversClosedAfterEach()
  const clock = fakeClock(Date.UTC(2030, 0, 7, 8, 0))
  const school = (extra: Parameters<typeof startServer>[0] = {}): Promise<SessionServer> => started({ database, tutorKeys: SCHOOL_KEYS, now: clock.now, ...extra })

  it('assigned with a PDF, handed in with text and a photo, reviewed; late work is late; only the two of them see it', async () => {
    const server = await school()
    const wei = await addStudent(server, LI, { name: 'Wei', plan: TUE_THU })
    const bo = await addStudent(server, ZHANG, { name: 'Bo' })
    const assigned = HomeworkSchema.parse(await (await postAs(server, `/api/roster/${wei.id}/homework`, LI, { title: 'Fractions p.12', body: 'Exercises 1-5', dueAt: clock.now() + 2 * DAY })).json())
    expect(assigned).toMatchObject({ status: 'assigned', timing: 'pending', files: [] })
    expect((await postAs(server, `/api/roster/${wei.id}/homework`, ZHANG, { title: 'x', dueAt: clock.now() })).status).toBe(404)
    expect((await postAs(server, `/api/roster/${wei.id}/homework`, LI, { title: '', dueAt: clock.now() })).status).toBe(400)

    const sheet = HomeworkFileSchema.parse(await (await upload(server, `/api/roster/${wei.id}/homework/${assigned.id}/files?name=worksheet.pdf`, LI, PDF)).json())
    expect(sheet).toMatchObject({ role: 'assignment', contentType: 'application/pdf', size: PDF.byteLength })
    // The bytes decide, not the name; too large is refused before it is read.
    expect((await upload(server, `/api/roster/${wei.id}/homework/${assigned.id}/files?name=evil.pdf`, LI, new TextEncoder().encode('<html>'))).status).toBe(415)
    expect((await upload(server, `/api/roster/${wei.id}/homework/${assigned.id}/files?name=big.pdf`, LI, new Uint8Array(MAX_HOMEWORK_FILE_BYTES + 1))).status).toBe(413)

    // The student sees it and its file; another student cannot touch it.
    const mine = MyRecordSchema.parse(await (await getAs(server, '/api/me', wei.code)).json())
    expect(mine.homework.map((h) => [h.title, h.files.length])).toEqual([['Fractions p.12', 1]])
    const file = await getAs(server, `/api/homework/${assigned.id}/files/${sheet.id}`, wei.code)
    expect(file.headers.get('content-type')).toBe('application/pdf')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PDF)
    expect((await getAs(server, `/api/homework/${assigned.id}/files/${sheet.id}`, bo.code)).status).toBe(404)
    expect((await getAs(server, `/api/homework/${assigned.id}/files/${sheet.id}`, ZHANG)).status).toBe(404)
    expect((await postAs(server, `/api/me/homework/${assigned.id}/submit`, bo.code, { text: 'mine now' })).status).toBe(404)

    clock.advance(DAY)
    expect((await upload(server, `/api/me/homework/${assigned.id}/files?name=photo.png`, wei.code, PNG)).status).toBe(200)
    const handed = HomeworkSchema.parse(await (await postAs(server, `/api/me/homework/${assigned.id}/submit`, wei.code, { text: '1) 3/4 ...' })).json())
    expect(handed).toMatchObject({ status: 'submitted', timing: 'on_time', submissionText: '1) 3/4 ...', handedInAt: clock.now() })
    expect(handed.files.map((f) => f.role)).toEqual(['assignment', 'submission'])

    const reviewed = HomeworkSchema.parse(await (await postAs(server, `/api/roster/${wei.id}/homework/${assigned.id}/review`, LI, { comment: 'Good, check 4 again' })).json())
    expect(reviewed).toMatchObject({ status: 'reviewed', review: { comment: 'Good, check 4 again' } })
    expect((await postAs(server, `/api/me/homework/${assigned.id}/submit`, wei.code, { text: 'again' })).status).toBe(409)

    // Homework due yesterday and handed in four days late, and one never handed in.
    const late = HomeworkSchema.parse(await (await postAs(server, `/api/roster/${wei.id}/homework`, LI, { title: 'Late one', dueAt: clock.now() - DAY })).json())
    await postAs(server, `/api/roster/${wei.id}/homework`, LI, { title: 'Missing one', dueAt: clock.now() - DAY })
    clock.advance(3 * DAY)
    expect(HomeworkSchema.parse(await (await postAs(server, `/api/me/homework/${late.id}/done`, wei.code)).json())).toMatchObject({ status: 'done', timing: 'late', daysLate: 4 })
    const record = StudentRecordSchema.parse(await (await getAs(server, `/api/roster/${wei.id}`, LI)).json())
    expect(record.progress.homework).toEqual({ onTime: 1, late: 1, missing: 1, pending: 0 })
  })

  it('a student rates a lesson of theirs once it took place (the tutor sees it); practice with Ask AI and recordings watched count', async () => {
    const model = await startFakeModel()
    try {
      const server = await school({ ai: { baseUrl: model.baseUrl, model: 'fake', ollamaUrl: null, studentPractice: true } })
      const wei = await addStudent(server, LI, { name: 'Wei', plan: TUE_THU })
      const lesson = CreateLessonResponseSchema.parse(await (await postJson(server, '/api/lessons', { tutorName: 'Ms Li', studentId: wei.id }, bearer(LI))).json())
      expect((await postAs(server, `/api/me/lessons/${lesson.lessonId}/rating`, wei.code, { stars: 5 })).status).toBe(404)
      const joined = JoinResponseSchema.parse(await (await postAs(server, '/api/me/join', wei.code)).json())
      const tutor = await TestClient.join(server, lesson.tutorToken)
      await tutor.next('welcome')
      const student = await TestClient.join(server, joined.studentToken)
      await student.next('welcome')
      clock.advance(50 * 60_000)
      tutor.send({ type: 'end-lesson' })
      await tutor.next('lesson-ended')

      expect((await postAs(server, `/api/me/lessons/${lesson.lessonId}/rating`, wei.code, { stars: 6 })).status).toBe(400)
      expect((await postAs(server, `/api/me/lessons/${lesson.lessonId}/rating`, wei.code, { stars: 2, word: 'too fast' })).status).toBe(200)
      const other = await addStudent(server, LI, { name: 'Ana' })
      expect((await postAs(server, `/api/me/lessons/${lesson.lessonId}/rating`, other.code, { stars: 1 })).status).toBe(404)

      // Practice between lessons, from a device that keeps Wei's link.
      const pass = PracticePassResponseSchema.parse(await (await postJson(server, '/api/ai/practice/pass', { role: 'student', name: 'Wei', studentCode: wei.code })).json())
      expect(pass.studentId).toBe(wei.id)
      expect((await ask(server, pass.pass, { question: 'What is 3/4 of 8?' })).status).toBe(200)
      // Watching the lesson's recording again in the web library.
      const key = (await (await postJson(server, '/api/library/keys', {}, bearer(joined.studentToken))).json()) as { key: string }
      expect((await postJson(server, `/api/library/${lesson.lessonId}/watched`, { seconds: 600 }, bearer(key.key))).status).toBe(200)

      await expect
        .poll(async () => {
          const record = StudentRecordSchema.parse(await (await getAs(server, `/api/roster/${wei.id}`, LI)).json())
          const week = record.progress.weeks.at(-1)
          return { rating: record.lessons[0]?.rating, week: { attended: week?.attended, lessonMinutes: week?.lessonMinutes, practiceQuestions: week?.practiceQuestions, recordingMinutes: week?.recordingMinutes } }
        })
        .toEqual({ rating: { stars: 2, word: 'too fast', at: clock.now() }, week: { attended: 1, lessonMinutes: 50, practiceQuestions: 1, recordingMinutes: 10 } })
    } finally {
      await model.close()
    }
  })
})
