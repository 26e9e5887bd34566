import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../../../../src/renderer/chat/ThreadSocket', () => import('../chat/fakeThreadSocket'))
vi.mock('../../../../src/renderer/records/recordsApi', () => import('./fakeRecordsApi'))

import { threadIdOf } from '../../../../src/shared/chat/thread'
import { loadPracticePass } from '../../../../src/renderer/ai/practicePass'
import { useKeptCodeUnreadStore } from '../../../../src/renderer/chat/stores/keptCodeUnreadStore'
import { useThreadsStore } from '../../../../src/renderer/chat/stores/threadsStore'
import { forgetKeptLink, forgetLessonKeysOf } from '../../../../src/renderer/records/forgetKeptLink'
import { loadKeys, saveKeys } from '../../../../src/renderer/recording/webLibraryKeys'
import { keepCode, keptCodes } from '../../../../src/renderer/records/myCodes'
import { unsentKeys, unsentText, keepUnsentText } from '../../../../src/renderer/ui/unsentText'
import { memoryStorage } from '../../../support/memoryStorage'
import { sockets } from '../chat/fakeThreadSocket'
import { asked, records } from './fakeRecordsApi'

const SCHOOL = 'http://school.example:47300'
const OTHER = 'http://other.example'
const WEI = { server: SCHOOL, code: 'K7P2QXMAH3JD', tutorName: 'Ms Li', studentName: 'Wei', studentId: '6f1c2a8e-4b7d-4c1e-9a3b-2d5e8f0a1b2c' }
const ANA = { server: OTHER, code: 'ABCDEFGHJKMN', tutorName: 'Mr Zhang', studentName: 'Ana', studentId: '0b9d8c7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e' }
const pass = (role: 'student' | 'tutor') => JSON.stringify({ pass: 'p'.repeat(20), role, name: 'Wei', expiresAt: Date.now() + 30 * 86_400_000, studentId: null })

describe('removing a personal link from this device', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    sockets.length = 0
    records.clear()
    asked.length = 0
  })

  it('forgets the link, its unsent text to the tutor and in Ask AI, its practice pass, its lessons’ recordings and its live count; nothing of another student', () => {
    const storage = memoryStorage()
    keepCode(ANA, storage)
    keepCode(WEI, storage)
    keepUnsentText(unsentKeys.chatThread(threadIdOf(WEI.studentId)), 'Is question 3 about', storage)
    keepUnsentText(unsentKeys.aiPractice(SCHOOL), 'Why is the sky', storage)
    keepUnsentText(`${unsentKeys.aiPractice(SCHOOL)}:attempt`, 'Because', storage)
    keepUnsentText(unsentKeys.chatThread(threadIdOf(ANA.studentId)), 'See you Tuesday', storage)
    storage.setItem(`duet.aiPractice:${SCHOOL}`, pass('student'))
    storage.setItem(`duet.aiPractice:${OTHER}`, pass('student'))
    // The recordings of a lesson in Wei's record, of a one-off lesson on the same server, and of Ana's.
    const key = (server: string, lessonId: string) => ({ server, lessonId, role: 'student' as const, key: `key-${lessonId}`, savedAt: 1 })
    saveKeys([key(SCHOOL, 'lesson-wei-1'), key(SCHOOL, 'lesson-one-off'), key(OTHER, 'lesson-ana-1')], storage)
    // The home screen follows Wei's link in full and counts Ana's.
    const threads = useThreadsStore()
    threads.connect({ server: SCHOOL, token: WEI.code })
    const counts = useKeptCodeUnreadStore()
    counts.watch({ server: OTHER, token: ANA.code })

    forgetKeptLink(WEI, ['lesson-wei-1'], storage)

    expect(keptCodes(storage).map((k) => k.code)).toEqual([ANA.code])
    expect(unsentText(unsentKeys.chatThread(threadIdOf(WEI.studentId)), storage)).toBe('')
    expect(unsentText(unsentKeys.aiPractice(SCHOOL), storage)).toBe('')
    expect(unsentText(`${unsentKeys.aiPractice(SCHOOL)}:attempt`, storage)).toBe('')
    expect(loadPracticePass(SCHOOL, storage)).toBeNull()
    expect(loadKeys(storage).map((k) => k.lessonId)).toEqual(['lesson-one-off', 'lesson-ana-1'])
    expect(threads.follows({ server: SCHOOL, token: WEI.code })).toBe(false)
    expect(sockets.find((s) => s.token === WEI.code)?.closed).toBe(true)
    // Ana's link, text, pass and count are untouched.
    expect(unsentText(unsentKeys.chatThread(threadIdOf(ANA.studentId)), storage)).toBe('See you Tuesday')
    expect(loadPracticePass(OTHER, storage)?.role).toBe('student')
    expect(sockets.find((s) => s.token === ANA.code)?.closed).toBe(false)

    forgetKeptLink(ANA, [], storage)
    expect(keptCodes(storage)).toEqual([])
    expect(sockets.find((s) => s.token === ANA.code)?.closed).toBe(true)
    expect(counts.links.size).toBe(0)
  })

  it('keeps a tutor’s own practice pass on the same server (a computer both use), and survives a link it no longer keeps', () => {
    const storage = memoryStorage()
    storage.setItem(`duet.aiPractice:${SCHOOL}`, pass('tutor'))
    expect(() => forgetKeptLink({ server: SCHOOL, code: WEI.code }, [], storage)).not.toThrow()
    expect(loadPracticePass(SCHOOL, storage)?.role).toBe('tutor')
  })

  it('from home, the library keys of the record’s lessons go once the server says which they are; a server that does not answer leaves them', async () => {
    const storage = memoryStorage()
    const key = (lessonId: string) => ({ server: SCHOOL, lessonId, role: 'student' as const, key: `key-${lessonId}`, savedAt: 1 })
    saveKeys([key('lesson-wei-1'), key('lesson-wei-2'), key('lesson-one-off')], storage)
    await forgetLessonKeysOf(WEI, storage)
    expect(loadKeys(storage)).toHaveLength(3)
    records.set(WEI.code, [{ id: 'lesson-wei-1' }, { id: 'lesson-wei-2' }])
    await forgetLessonKeysOf(WEI, storage)
    expect(asked).toEqual([WEI.code, WEI.code])
    expect(loadKeys(storage).map((k) => k.lessonId)).toEqual(['lesson-one-off'])
  })
})
