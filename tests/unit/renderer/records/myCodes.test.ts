import { describe, expect, it } from 'vitest'
import { codeFor, forgetCode, keepCode, keptCodes } from '../../../../src/renderer/records/myCodes'
import { memoryStorage } from '../../../support/memoryStorage'

describe('the personal links a student’s device keeps', () => {
  it('keeps the newest first, once per code, and finds the code for a server', () => {
    const storage = memoryStorage()
    keepCode({ server: 'http://school.example:47300', code: 'K7P2QXMAH3JD', tutorName: 'Ms Li', studentName: 'Wei' }, storage)
    keepCode({ server: 'http://other.example', code: 'ABCDEFGHJKMN', tutorName: 'Mr Zhang', studentName: 'Wei' }, storage)
    keepCode({ server: 'http://school.example:47300', code: 'K7P2QXMAH3JD', tutorName: 'Ms Li', studentName: 'Wei W.' }, storage)
    expect(keptCodes(storage).map((k) => [k.code, k.studentName])).toEqual([
      ['K7P2QXMAH3JD', 'Wei W.'],
      ['ABCDEFGHJKMN', 'Wei'],
    ])
    expect(codeFor('http://school.example:47300/', storage)).toBe('K7P2QXMAH3JD')
    expect(codeFor('http://nowhere.example', storage)).toBeUndefined()
  })

  it('drops what is damaged instead of trusting it', () => {
    const storage = memoryStorage()
    storage.setItem('duet.myCodes', JSON.stringify([{ server: 'http://a.example', code: 'short', tutorName: '', studentName: '' }, { server: 'http://b.example', code: 'K7P2QXMAH3JD', tutorName: 'Ms Li', studentName: 'Wei' }, 42]))
    expect(keptCodes(storage).map((k) => k.server)).toEqual(['http://b.example'])
    storage.setItem('duet.myCodes', '{not json')
    expect(keptCodes(storage)).toEqual([])
  })

  it('forgets one code and says what was kept for it', () => {
    const storage = memoryStorage()
    keepCode({ server: 'http://a.example', code: 'K7P2QXMAH3JD', tutorName: 'Ms Li', studentName: 'Wei', studentId: 'wei-id' }, storage)
    keepCode({ server: 'http://b.example', code: 'ABCDEFGHJKMN', tutorName: 'Mr Zhang', studentName: 'Ana' }, storage)
    expect(forgetCode('K7P2QXMAH3JD', storage)?.studentId).toBe('wei-id')
    expect(keptCodes(storage).map((k) => k.code)).toEqual(['ABCDEFGHJKMN'])
    expect(forgetCode('K7P2QXMAH3JD', storage)).toBeUndefined()
    expect(forgetCode('ABCDEFGHJKMN', storage)?.studentName).toBe('Ana')
    expect(storage.getItem('duet.myCodes')).toBeNull()
  })
})
