import { afterEach, describe, expect, it } from 'vitest'
import { ApiErrorSchema } from '../../../../src/shared/errors'
import { InvitePreviewSchema, MAX_HTTP_BODY_BYTES, PublicConfigSchema } from '../../../../src/shared/lesson/api'
import { INVITE_ALPHABET, InviteCodeSchema, parseInvite } from '../../../../src/shared/lesson/invite'
import type { SessionServer } from '../../../../src/server/index'
import { TestClient, createLesson, fakeClock, joinLesson, postJson, rawRequest, startServer } from '../helpers'

let server: SessionServer
afterEach(async () => {
  await server?.close()
})

async function apiError(res: Response) {
  return ApiErrorSchema.parse(await res.json()).error
}

describe('session server HTTP API', () => {
  it('reports health and public config', async () => {
    server = await startServer({ iceServers: [{ urls: 'stun:stun.example.org:3478' }] })
    const health = await fetch(`${server.url}/api/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true, version: '0.1.0' })
    const config = PublicConfigSchema.parse(await (await fetch(`${server.url}/api/config`)).json())
    // ICE servers (TURN credentials) only reach participants, in the lesson socket's welcome.
    expect(config).toEqual({ version: '0.1.0', engine: 'builtin', tutorKeyRequired: false })
  })

  it('creates a lesson with a valid invite code and links on the public URL', async () => {
    const clock = fakeClock()
    server = await startServer({ publicUrl: 'https://duet.school.example/', now: clock.now, inviteTtlMs: 3_600_000 })
    const lesson = await createLesson(server, '  Ms Li  ')
    expect(InviteCodeSchema.safeParse(lesson.inviteCode).success).toBe(true)
    expect(lesson.inviteUrl).toBe(`https://duet.school.example/join/${lesson.inviteCode}`)
    expect(parseInvite(lesson.inviteDeepLink)).toEqual({ code: lesson.inviteCode, server: 'https://duet.school.example' })
    expect(lesson.inviteExpiresAt).toBe(clock.now() + 3_600_000)
    const preview = InvitePreviewSchema.parse(await (await fetch(`${server.url}/api/invites/${lesson.inviteCode}`)).json())
    expect(preview).toEqual({ lessonId: lesson.lessonId, tutorName: 'Ms Li', expiresAt: lesson.inviteExpiresAt })
  })

  it('accepts invite codes typed in lower case with dashes and spaces', async () => {
    server = await startServer()
    const lesson = await createLesson(server)
    const typed = `${lesson.inviteCode.slice(0, 4)}-${lesson.inviteCode.slice(4)}`.toLowerCase()
    const res = await fetch(`${server.url}/api/invites/${encodeURIComponent(` ${typed}`)}`)
    expect(res.status).toBe(200)
    const join = await joinLesson(server, typed, 'Wei')
    expect(join.lessonId).toBe(lesson.lessonId)
    expect(join.tutorName).toBe('Ms Li')
  })

  it('refuses unknown, expired and ended invites with distinct codes', async () => {
    const clock = fakeClock()
    server = await startServer({ now: clock.now, inviteTtlMs: 60_000 })
    const unknown = await fetch(`${server.url}/api/invites/ABCD2345`)
    expect(unknown.status).toBe(404)
    expect((await apiError(unknown)).code).toBe('invite_not_found')
    const garbage = await postJson(server, '/api/invites/%E0%A4%A/join', { studentName: 'Wei' })
    expect(garbage.status).toBe(404)

    const toExpire = await createLesson(server)
    const tutor = await TestClient.join(server, toExpire.tutorToken) // tutor present: lesson lives on
    await tutor.next('welcome')
    clock.advance(60_001)
    const expired = await postJson(server, `/api/invites/${toExpire.inviteCode}/join`, { studentName: 'Wei' })
    expect(expired.status).toBe(410)
    expect((await apiError(expired)).code).toBe('invite_expired')

    const toEnd = await createLesson(server)
    const tutor2 = await TestClient.join(server, toEnd.tutorToken)
    await tutor2.next('welcome')
    tutor2.send({ type: 'end-lesson' })
    await tutor2.next('lesson-ended')
    const ended = await fetch(`${server.url}/api/invites/${toEnd.inviteCode}`)
    expect(ended.status).toBe(410)
    expect((await apiError(ended)).code).toBe('lesson_ended')
    tutor.close()
  })

  it('refuses a second student while one is connected (409), and allows joining after they leave', async () => {
    server = await startServer()
    const lesson = await createLesson(server)
    const first = await joinLesson(server, lesson.inviteCode, 'Wei')
    const student = await TestClient.join(server, first.studentToken)
    await student.next('welcome')
    const full = await postJson(server, `/api/invites/${lesson.inviteCode}/join`, { studentName: 'Ana' })
    expect(full.status).toBe(409)
    expect(await apiError(full)).toEqual({ code: 'lesson_full', message: expect.stringMatching(/already/) })
    student.send({ type: 'leave' })
    await student.closedWithin()
    const again = await postJson(server, `/api/invites/${lesson.inviteCode}/join`, { studentName: 'Ana' })
    expect(again.status).toBe(200)
  })

  it('answers unknown routes with 404 and wrong methods with 405, both as ApiError JSON', async () => {
    server = await startServer()
    const missing = await fetch(`${server.url}/api/nope`)
    expect(missing.status).toBe(404)
    expect((await apiError(missing)).code).toBe('not_found')
    const wrong = await fetch(`${server.url}/api/lessons`)
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toContain('POST')
    expect((await apiError(wrong)).message).toMatch(/GET/)
  })

  it('refuses bad bodies: not JSON, wrong schema (naming the field), wrong content type', async () => {
    server = await startServer()
    const notJson = await fetch(`${server.url}/api/lessons`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' })
    expect(notJson.status).toBe(400)
    expect(await apiError(notJson)).toEqual({ code: 'bad_request', message: 'Request body is not valid JSON' })

    const missingField = await postJson(server, '/api/lessons', { name: 'Ms Li' })
    expect(missingField.status).toBe(400)
    expect((await apiError(missingField)).message).toMatch(/^tutorName: /)

    const controlChars = await postJson(server, '/api/lessons', { tutorName: 'Ms\u0007Li' })
    expect(controlChars.status).toBe(400)
    expect((await apiError(controlChars)).message).toMatch(/tutorName: .*control/)

    const text = await fetch(`${server.url}/api/lessons`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"tutorName":"A"}' })
    expect(text.status).toBe(415)
    expect((await apiError(text)).message).toMatch(/application\/json/)
  })

  it('refuses oversized bodies with 413, declared or streamed, and keeps serving', async () => {
    server = await startServer()
    const huge = JSON.stringify({ tutorName: 'x'.repeat(MAX_HTTP_BODY_BYTES * 8) })
    const declared = await rawRequest(server, {
      method: 'POST',
      path: '/api/lessons',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(huge)) },
      body: huge,
    })
    expect(declared.status).toBe(413)
    expect(ApiErrorSchema.parse(JSON.parse(declared.body)).error.code).toBe('payload_too_large')

    // Chunked: no length up front, so the limit is enforced while reading.
    const streamed = await rawRequest(server, {
      method: 'POST',
      path: '/api/lessons',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: huge,
    })
    expect(streamed.status).toBe(413)
    expect(streamed.headers.connection).toBe('close')

    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
    expect((await createLesson(server)).inviteCode).toMatch(/^[A-Z2-9]{8}$/)
  })

  it('rate-limits POST routes per address with Retry-After', async () => {
    server = await startServer({ postRateLimitPerMinute: 3 })
    for (let i = 0; i < 3; i++) expect((await postJson(server, '/api/lessons', { tutorName: 'A' })).status).toBe(200)
    const limited = await postJson(server, '/api/lessons', { tutorName: 'A' })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect((await apiError(limited)).code).toBe('rate_limited')
    // GETs are not limited.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  })

  it('answers the desktop app cross-origin, and other sites not at all', async () => {
    server = await startServer({ allowedOrigins: ['http://localhost:5173'] })
    const preflight = await fetch(`${server.url}/api/lessons`, {
      method: 'OPTIONS',
      headers: { origin: 'app://duet', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('app://duet')
    expect(preflight.headers.get('vary')).toMatch(/origin/i)
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/content-type/i)
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull()
    const dev = await fetch(`${server.url}/api/config`, { headers: { origin: 'http://localhost:5173' } })
    expect(dev.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(dev.headers.get('x-content-type-options')).toBe('nosniff')
    const foreign = await postJson(server, '/api/lessons', { tutorName: 'Ms Li' }, { origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    expect((await apiError(foreign)).code).toBe('origin_not_allowed')
  })

  it('limits invite look-ups per address, so codes cannot be guessed by the thousand', async () => {
    server = await startServer()
    const statuses: number[] = []
    // 31 well-formed codes that belong to no lesson: the 31st look-up within a minute is refused.
    const code = (i: number): string => `AAAA${[...String(i).padStart(4, '0')].map((d) => INVITE_ALPHABET[Number(d)]).join('')}`
    for (let i = 0; i < 31; i++) statuses.push((await fetch(`${server.url}/api/invites/${code(i)}`)).status)
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true)
    expect(statuses[30]).toBe(429)
  })

})
