import { describe, expect, it } from 'vitest'
import { ApiErrorSchema } from '../../../../src/shared/errors'
import { NewInviteResponseSchema } from '../../../../src/shared/lesson/api'
import { InviteCodeSchema, parseInvite } from '../../../../src/shared/lesson/invite'
import { BACKENDS, suiteDatabase } from '../../../support/databases'
import { TestClient, createLesson, fakeClock, joinLesson, postJson, serversClosedAfterEach, type ServerAddress } from '../helpers'

const startServer = serversClosedAfterEach()
const INVITE_TTL = 60_000

async function errorCode(res: Response): Promise<string> {
  return ApiErrorSchema.parse(await res.json()).error.code
}

function newInvite(server: ServerAddress, lessonId: string, token?: string): Promise<Response> {
  return postJson(server, `/api/lessons/${lessonId}/invite`, {}, token ? { Authorization: `Bearer ${token}` } : {})
}

describe('the tutor makes a new invite in the room (POST /api/lessons/:id/invite)', () => {
  it('replaces an expired invite: the new code admits a student, the old one says it expired', async () => {
    const clock = fakeClock()
    const server = await startServer({ now: clock.now, inviteTtlMs: INVITE_TTL, publicUrl: 'https://duet.school.example' })
    const lesson = await createLesson(server)
    const tutor = await TestClient.join(server, lesson.tutorToken) // the tutor waits in the room
    await tutor.next('welcome')
    clock.advance(INVITE_TTL + 1)
    expect(await errorCode(await fetch(`${server.url}/api/invites/${lesson.inviteCode}`))).toBe('invite_expired')

    const res = await newInvite(server, lesson.lessonId, lesson.tutorToken)
    expect(res.status).toBe(200)
    const fresh = NewInviteResponseSchema.parse(await res.json())
    expect(InviteCodeSchema.safeParse(fresh.inviteCode).success).toBe(true)
    expect(fresh.inviteCode).not.toBe(lesson.inviteCode)
    expect(fresh.inviteExpiresAt).toBe(clock.now() + INVITE_TTL)
    expect(fresh.inviteUrl).toBe(`https://duet.school.example/join/${fresh.inviteCode}`)
    expect(parseInvite(fresh.inviteDeepLink)).toEqual({ code: fresh.inviteCode, server: 'https://duet.school.example' })

    const joined = await joinLesson(server, fresh.inviteCode, 'Wei')
    expect(joined.lessonId).toBe(lesson.lessonId)
    const student = await TestClient.join(server, joined.studentToken)
    await student.next('welcome')
    // The replaced code admits nobody and says why.
    const old = await postJson(server, `/api/invites/${lesson.inviteCode}/join`, { studentName: 'Someone' })
    expect(old.status).toBe(410)
    expect(await errorCode(old)).toBe('invite_expired')
    tutor.close()
    student.close()
  })

  it('also replaces a valid invite (a code that went to the wrong person)', async () => {
    const server = await startServer()
    const lesson = await createLesson(server)
    const fresh = NewInviteResponseSchema.parse(await (await newInvite(server, lesson.lessonId, lesson.tutorToken)).json())
    expect(await errorCode(await fetch(`${server.url}/api/invites/${lesson.inviteCode}`))).toBe('invite_expired')
    expect((await fetch(`${server.url}/api/invites/${fresh.inviteCode}`)).status).toBe(200)
  })

  it('is for the lesson’s own tutor only, while the lesson runs', async () => {
    const server = await startServer()
    const lesson = await createLesson(server)
    const other = await createLesson(server, 'Mr Chen')
    const joined = await joinLesson(server, lesson.inviteCode, 'Wei')

    expect((await newInvite(server, lesson.lessonId)).status).toBe(401)
    expect((await newInvite(server, lesson.lessonId, 'not-a-token')).status).toBe(401)
    const student = await newInvite(server, lesson.lessonId, joined.studentToken)
    expect(student.status).toBe(403)
    expect(await errorCode(student)).toBe('forbidden')
    // Another lesson's tutor cannot renew this lesson's invite.
    expect((await newInvite(server, lesson.lessonId, other.tutorToken)).status).toBe(401)
    expect((await fetch(`${server.url}/api/invites/${lesson.inviteCode}`)).status).toBe(200)

    const tutor = await TestClient.join(server, lesson.tutorToken)
    await tutor.next('welcome')
    tutor.send({ type: 'end-lesson' })
    await tutor.next('lesson-ended')
    const ended = await newInvite(server, lesson.lessonId, lesson.tutorToken)
    expect(ended.status).toBe(410)
    expect(await errorCode(ended)).toBe('lesson_ended')
  })
})

describe.each(BACKENDS)('replaced invite codes in the database (%s)', (backend) => {
  const database = suiteDatabase(backend)

  it('are kept across a restart, so they still say "expired"', async () => {
    const first = await startServer({ database })
    const lesson = await createLesson(first)
    const fresh = NewInviteResponseSchema.parse(await (await newInvite(first, lesson.lessonId, lesson.tutorToken)).json())
    await first.close()
    const second = await startServer({ database })
    expect(await errorCode(await fetch(`${second.url}/api/invites/${lesson.inviteCode}`))).toBe('invite_expired')
    expect(await errorCode(await postJson(second, `/api/invites/${lesson.inviteCode}/join`, { studentName: 'Someone' }))).toBe('invite_expired')
    expect((await fetch(`${second.url}/api/invites/${fresh.inviteCode}`)).status).toBe(200)
  })
})

describe('an invite that expired before anyone came', () => {
  it('is called an expired invite, for the student and for the tutor, not an ended lesson', async () => {
    const clock = fakeClock()
    const server = await startServer({ now: clock.now, inviteTtlMs: INVITE_TTL, tokenTtlMs: INVITE_TTL })
    const lesson = await createLesson(server)
    clock.advance(INVITE_TTL + 1)
    // The look-up closes the unused lesson (sweep); the student hears why.
    const preview = await fetch(`${server.url}/api/invites/${lesson.inviteCode}`)
    expect(preview.status).toBe(410)
    expect(await errorCode(preview)).toBe('invite_expired')
    const join = await postJson(server, `/api/invites/${lesson.inviteCode}/join`, { studentName: 'Wei' })
    expect(await errorCode(join)).toBe('invite_expired')

    // The tutor arriving late is told the same, and the socket is closed for good.
    clock.set(lesson.inviteExpiresAt - 1) // their token is still genuine
    const tutor = await TestClient.join(server, lesson.tutorToken)
    const error = await tutor.next('error')
    expect(error).toMatchObject({ code: 'invite_expired', fatal: true })
    await tutor.closedWithin()
  })

  it('a lesson the tutor ended is still "ended", whatever the invite', async () => {
    const clock = fakeClock()
    const server = await startServer({ now: clock.now, inviteTtlMs: INVITE_TTL })
    const lesson = await createLesson(server)
    const tutor = await TestClient.join(server, lesson.tutorToken)
    await tutor.next('welcome')
    tutor.send({ type: 'end-lesson' })
    await tutor.next('lesson-ended')
    clock.advance(INVITE_TTL + 1)
    expect(await errorCode(await fetch(`${server.url}/api/invites/${lesson.inviteCode}`))).toBe('lesson_ended')
  })
})
