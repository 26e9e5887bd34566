import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'

vi.mock('../../../../src/renderer/chat/ThreadSocket', () => import('../chat/fakeThreadSocket'))

import { threadIdOf } from '../../../../src/shared/chat/thread'
import { EMPTY_POLICY_VIEW } from '../../../../src/shared/policy/view'
import { loadPracticePass } from '../../../../src/renderer/ai/practicePass'
import { provideHost } from '../../../../src/renderer/host/current'
import { applyLinkPolicy } from '../../../../src/renderer/records/linkPolicy'
import { keepCode, keptCodes } from '../../../../src/renderer/records/myCodes'
import { loadKeys, saveKeys } from '../../../../src/renderer/recording/webLibraryKeys'
import { usePolicyStore } from '../../../../src/renderer/settings/stores/policyStore'
import { keepUnsentText, unsentKeys, unsentText } from '../../../../src/renderer/ui/unsentText'
import { memoryStorage } from '../../../support/memoryStorage'
import { fakeHost } from '../fakeHost'

const SCHOOL = 'http://school.example:47300'
const WEI = { server: SCHOOL, code: 'K7P2QXMAH3JD', tutorName: 'Ms Li', studentName: 'Wei', studentId: '6f1c2a8e-4b7d-4c1e-9a3b-2d5e8f0a1b2c' }
const ANA = { server: SCHOOL, code: 'ABCDEFGHJKMN', tutorName: 'Ms Li', studentName: 'Ana', studentId: '0b9d8c7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e' }
const SHARED = { ...EMPTY_POLICY_VIEW, enforced: ['KeepStudentLinks' as const], keepStudentLinks: false }
const key = (lessonId: string) => ({ server: SCHOOL, lessonId, role: 'student' as const, key: `key-${lessonId}`, savedAt: 1 })

/** A lab computer where Wei and then Ana opened their links (and left things behind). */
function labComputer() {
  const storage = memoryStorage()
  keepCode(WEI, storage)
  keepCode(ANA, storage)
  keepUnsentText(unsentKeys.chatThread(threadIdOf(WEI.studentId)), 'Is question 3 about', storage)
  keepUnsentText(unsentKeys.aiPractice(SCHOOL), 'Why is the sky', storage)
  storage.setItem(`duet.aiPractice:${SCHOOL}`, JSON.stringify({ pass: 'p'.repeat(20), role: 'student', name: 'Ana', expiresAt: Date.now() + 30 * 86_400_000, studentId: null }))
  // A one-off invite's lesson is in nobody's record; the tutor once opened the library here too.
  saveKeys([key('lesson-wei-1'), key('lesson-ana-1'), key('lesson-one-off'), { ...key('lesson-taught'), role: 'tutor' }], storage)
  return storage
}
/** Every student's library key has gone (a one-off invite's too, which no link names); the tutor's stays. */
const onlyTutorKeysLeft = () => expect(loadKeys(storage).map((k) => k.lessonId)).toEqual(['lesson-taught'])
let storage: Storage

describe('KeepStudentLinks', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
  })

  it('off: at start every kept link goes, with its unsent text, practice pass, and every student’s library key', async () => {
    storage = labComputer()
    expect(loadPracticePass(SCHOOL, storage)?.name).toBe('Ana')
    const fake = fakeHost({ policy: SHARED })
    provideHost(fake.host)
    await usePolicyStore().load()
    applyLinkPolicy(storage)
    expect(keptCodes(storage)).toEqual([])
    expect(unsentText(unsentKeys.chatThread(threadIdOf(WEI.studentId)), storage)).toBe('')
    expect(unsentText(unsentKeys.aiPractice(SCHOOL), storage)).toBe('')
    expect(loadPracticePass(SCHOOL, storage)).toBeNull()
    onlyTutorKeysLeft()
  })

  it('on (or no policy): nothing is forgotten; turned off while Duet runs, the links go at once', async () => {
    storage = labComputer()
    const fake = fakeHost()
    provideHost(fake.host)
    await usePolicyStore().load()
    applyLinkPolicy(storage)
    await nextTick()
    expect(keptCodes(storage).map((k) => k.studentName)).toEqual(['Ana', 'Wei'])
    expect(loadPracticePass(SCHOOL, storage)?.name).toBe('Ana')
    expect(loadKeys(storage)).toHaveLength(4)

    fake.pushPolicy(SHARED)
    await nextTick()
    expect(keptCodes(storage)).toEqual([])
    expect(loadPracticePass(SCHOOL, storage)).toBeNull()
    onlyTutorKeysLeft()
  })
})
