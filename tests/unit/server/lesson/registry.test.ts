import { describe, expect, it } from 'vitest'
import { InviteCodeSchema } from '../../../../src/shared/lesson/invite'
import { ENDED_RETENTION_MS, LessonRegistry, newInviteCode } from '../../../../src/server/lesson/registry'
import { memoryStore, type StoredLesson } from '../../../../src/server/lesson/store'
import { RateLimiter } from '../../../../src/server/http/rateLimit'
import { fakeClock, memoryLogger } from '../helpers'

function registry(clock = fakeClock()) {
  return new LessonRegistry({ store: memoryStore, logger: memoryLogger(), now: clock.now, inviteTtlMs: 60_000, tokenTtlMs: 30_000 })
}

describe('lesson registry', () => {
  it('makes valid, varied invite codes', () => {
    const codes = new Set(Array.from({ length: 200 }, newInviteCode))
    expect(codes.size).toBe(200)
    for (const code of codes) expect(InviteCodeSchema.safeParse(code).success).toBe(true)
  })

  it('gives the tutor token at least the invite lifetime', () => {
    const clock = fakeClock()
    const lesson = registry(clock).create('Ms Li') as StoredLesson
    expect(lesson.tokensValidUntil).toBe(clock.now() + 60_000)
  })

  it('expires a lesson whose tutor never came, then drops it after the retention time', () => {
    const clock = fakeClock()
    const reg = registry(clock)
    const ended: string[] = []
    reg.onEnded((l, summary) => ended.push(`${l.id}:${summary.endedBy}`))
    const lesson = reg.create('Ms Li') as StoredLesson
    clock.advance(59_000)
    reg.sweep()
    expect(ended).toEqual([])
    clock.advance(1000)
    reg.sweep()
    expect(ended).toEqual([`${lesson.id}:expired`])
    expect(reg.getByCode(lesson.inviteCode)?.endedAt).toBe(clock.now())
    clock.advance(ENDED_RETENTION_MS)
    reg.sweep()
    expect(reg.get(lesson.id)).toBeUndefined()
    expect(reg.getByCode(lesson.inviteCode)).toBeUndefined()
  })

  it('keeps a lesson while someone is present, and the clock starts only when both are', () => {
    const clock = fakeClock()
    const reg = registry(clock)
    const lesson = reg.create('Ms Li') as StoredLesson
    reg.markPresent(lesson, { id: lesson.tutorId, name: 'Ms Li', role: 'tutor' })
    expect(lesson.startedAt).toBeNull()
    clock.advance(1000)
    reg.markPresent(lesson, { id: 's1', name: 'Wei', role: 'student' })
    expect(lesson.startedAt).toBe(clock.now())
    clock.advance(10 * 60_000)
    reg.sweep()
    expect(lesson.endedAt).toBeNull()
  })

  it('bounds attendance at 16 entries, keeping the tutor', () => {
    const reg = registry()
    const lesson = reg.create('Ms Li') as StoredLesson
    reg.markPresent(lesson, { id: lesson.tutorId, name: 'Ms Li', role: 'tutor' })
    for (let i = 0; i < 30; i++) {
      reg.markPresent(lesson, { id: `s${i}`, name: `S${i}`, role: 'student' })
      reg.markLeft(lesson, `s${i}`)
    }
    expect(lesson.attendance).toHaveLength(16)
    expect(lesson.attendance[0]?.role).toBe('tutor')
    expect(lesson.attendance.at(-1)?.id).toBe('s29')
  })
})

describe('rate limiter', () => {
  it('allows a burst, then refills over time', () => {
    const clock = fakeClock()
    const limiter = new RateLimiter({ perMinute: 2, now: clock.now })
    expect(limiter.take('a')).toEqual({ ok: true })
    expect(limiter.take('a')).toEqual({ ok: true })
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 30 })
    expect(limiter.take('b')).toEqual({ ok: true })
    clock.advance(30_000)
    expect(limiter.take('a')).toEqual({ ok: true })
  })
})
