// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { loadPass, savePass, type LessonPass } from '../../../../src/renderer/lesson/LessonPass'

const KEY = 'duet.lessonPass'

const TUTOR_PASS: LessonPass = {
  server: 'http://127.0.0.1:47300',
  lessonId: 'lesson-1',
  token: 'tok.en.sig',
  participantId: 'tutor-1',
  role: 'tutor',
  selfName: 'Ms Li',
  tutorName: 'Ms Li',
  invite: {
    code: 'K7P2QXMA',
    url: 'http://127.0.0.1:47300/join/K7P2QXMA',
    deepLink: 'duet://join/K7P2QXMA?server=http%3A%2F%2F127.0.0.1%3A47300',
    expiresAt: 1_900_000_000_000,
    lanUrls: ['http://192.168.1.20:47300/join/K7P2QXMA'],
    hosted: true,
  },
}
const STUDENT_PASS: LessonPass = { ...TUTOR_PASS, token: 'student', role: 'student', selfName: 'Wei', invite: null }

const throwing = (what: string): Storage => ({
  getItem: () => {
    throw new Error(what)
  },
  setItem: () => {
    throw new Error(what)
  },
  removeItem: () => {
    throw new Error(what)
  },
  clear: () => {},
  key: () => null,
  length: 0,
})

describe('LessonPass', () => {
  beforeEach(() => sessionStorage.clear())

  it('saves to and loads from sessionStorage by default', () => {
    expect(loadPass()).toBeNull()
    savePass(TUTOR_PASS)
    expect(JSON.parse(sessionStorage.getItem(KEY) ?? 'null')).toEqual(TUTOR_PASS)
    expect(loadPass()).toEqual(TUTOR_PASS)
    savePass(STUDENT_PASS)
    expect(loadPass()).toEqual(STUDENT_PASS)
  })

  it('removes the pass when saving null', () => {
    savePass(TUTOR_PASS)
    savePass(null)
    expect(sessionStorage.getItem(KEY)).toBeNull()
    expect(loadPass()).toBeNull()
  })

  it('uses the storage it is given', () => {
    savePass(STUDENT_PASS, localStorage)
    expect(loadPass(localStorage)).toEqual(STUDENT_PASS)
    expect(loadPass(sessionStorage)).toBeNull()
    localStorage.clear()
  })

  it.each([
    ['not JSON', '{"server":'],
    ['a number', '42'],
    ['a bad role', JSON.stringify({ ...TUTOR_PASS, role: 'admin' })],
    ['a bad server', JSON.stringify({ ...TUTOR_PASS, server: 'nowhere' })],
    ['a missing token', JSON.stringify({ ...TUTOR_PASS, token: undefined })],
    ['a malformed invite', JSON.stringify({ ...TUTOR_PASS, invite: { code: 'K7P2QXMA' } })],
  ])('returns null for corrupt storage (%s)', (_what, raw) => {
    sessionStorage.setItem(KEY, raw)
    expect(loadPass()).toBeNull()
  })

  it('never throws when storage is unavailable', () => {
    const storage = throwing('SecurityError')
    expect(() => savePass(TUTOR_PASS, storage)).not.toThrow()
    expect(() => savePass(null, storage)).not.toThrow()
    expect(loadPass(storage)).toBeNull()
  })
})
