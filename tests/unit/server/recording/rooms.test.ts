import { afterEach, describe, expect, it, vi } from 'vitest'
import { RecordingRooms } from '../../../../src/server/recording/rooms'
import type { SavedRooms } from '../../../../src/server/recording/savedRooms'
import type { RecordingPolicy, RecordingState } from '../../../../src/shared/recording/state'
import { silent } from '../../shared/recording/helpers'

const LESSON = 'lesson-1'

function rooms(policy: RecordingPolicy = 'allowed', serverStorage = true, saved?: SavedRooms) {
  const changes: RecordingState[] = []
  const lost: string[] = []
  let t = 1000
  const r = new RecordingRooms({ policy, serverStorage, now: () => t, recorderGraceMs: 5000, onChange: (_id, s) => changes.push(s), onRecorderLost: (id) => lost.push(id), logger: silent, saved })
  return { r, changes, lost, tick: (ms: number) => void (t += ms) }
}

afterEach(() => void vi.useRealTimers())

describe('RecordingRooms', () => {
  it('only the tutor switches recording; both sides get the same state', () => {
    const { r, changes } = rooms()
    expect(r.request(LESSON, 'student', true, 'local')).toEqual({ ok: false, reason: 'not-tutor' })
    expect(changes).toEqual([])
    expect(r.request(LESSON, 'tutor', true, 'local')).toEqual({ ok: true })
    expect(r.state(LESSON)).toEqual({ on: true, startedAt: 1000, by: 'tutor', policy: 'allowed', serverStorage: true })
    expect(changes.at(-1)?.on).toBe(true)
    expect(r.request(LESSON, 'tutor', false, 'local')).toEqual({ ok: true })
    expect(r.state(LESSON)).toMatchObject({ on: false, startedAt: null, by: null })
    expect(changes.map((c) => c.on)).toEqual([true, false])
  })

  it('follows the policy', () => {
    expect(rooms('forbidden').r.request(LESSON, 'tutor', true, 'local')).toEqual({ ok: false, reason: 'forbidden' })
    const always = rooms('always').r
    expect(always.request(LESSON, 'tutor', true, 'local')).toEqual({ ok: true })
    expect(always.state(LESSON).by).toBe('policy')
    expect(always.request(LESSON, 'tutor', false, 'local')).toEqual({ ok: false, reason: 'always-on' })
    expect(always.state(LESSON).on).toBe(true)
    // …unless the tutor's app cannot record at all.
    expect(always.request(LESSON, 'tutor', false, 'local', true)).toEqual({ ok: true })
    expect(always.state(LESSON).on).toBe(false)
  })

  it('refuses browser recording when the server keeps no files, but a desktop tutor may record locally', () => {
    const { r } = rooms('allowed', false)
    expect(r.request(LESSON, 'tutor', true, 'server')).toEqual({ ok: false, reason: 'no-storage' })
    expect(r.request(LESSON, 'tutor', true, 'local')).toEqual({ ok: true })
  })

  it('keeps recording on while the tutor reconnects, switches it off if they do not come back', () => {
    vi.useFakeTimers()
    const { r, lost } = rooms()
    r.request(LESSON, 'tutor', true, 'server')
    r.recorderAway(LESSON)
    vi.advanceTimersByTime(4000)
    r.recorderBack(LESSON)
    vi.advanceTimersByTime(10_000)
    expect(r.state(LESSON).on).toBe(true)
    r.recorderAway(LESSON)
    vi.advanceTimersByTime(5001)
    expect(r.state(LESSON).on).toBe(false)
    expect(lost).toEqual([LESSON])
  })

  it('switches off at once when the tutor leaves, forgets the lesson when it ends', () => {
    const { r, changes } = rooms()
    r.request(LESSON, 'tutor', true, 'local')
    r.recorderLeft(LESSON)
    expect(changes.at(-1)?.on).toBe(false)
    r.request(LESSON, 'tutor', true, 'local')
    r.lessonEnded(LESSON)
    expect(r.state(LESSON).on).toBe(false)
    r.close()
  })

  it('keeps the lessons being recorded across a restart; the tutor’s app must come back as after any drop', () => {
    vi.useFakeTimers()
    let disk = new Map<string, RecordingState>()
    const saved: SavedRooms = { load: () => new Map(disk), save: (states) => void (disk = new Map(states)) }
    const before = rooms('allowed', true, saved).r
    for (const id of ['a', 'b', 'ended', 'stopped']) before.request(id, 'tutor', true, 'server')
    before.request('stopped', 'tutor', false, 'server')
    expect([...disk.keys()]).toEqual(['a', 'b', 'ended'])

    const after = rooms('allowed', true, saved)
    after.r.restore((id) => id !== 'ended')
    expect(after.r.state('a')).toEqual(before.state('a'))
    expect(after.r.state('ended').on).toBe(false)
    expect(after.r.state('stopped').on).toBe(false)
    expect([...disk.keys()]).toEqual(['a', 'b'])
    // The tutor of lesson a comes back; lesson b's never does.
    after.r.recorderBack('a')
    vi.advanceTimersByTime(5001)
    expect(after.r.state('a').on).toBe(true)
    expect(after.r.state('b').on).toBe(false)
    expect(after.lost).toEqual(['b'])
    expect([...disk.keys()]).toEqual(['a'])

    // A policy that now forbids recording wins over what was on before.
    const forbidden = rooms('forbidden', true, saved).r
    forbidden.restore(() => true)
    expect(forbidden.state('a').on).toBe(false)
  })
})
