import { describe, expect, it } from 'vitest'
import type { Digest } from '../../../../src/shared/students/warnings'
import { digestDue, digestText, markDigestShown } from '../../../../src/renderer/records/tutorDigest'
import { memoryStorage } from '../../../support/memoryStorage'

const news: Digest = {
  since: 0,
  students: [
    { id: 'a', name: 'Wei', rules: ['inactive'] },
    { id: 'b', name: 'Ana', rules: ['low_completion', 'low_ratings'] },
  ],
}

describe('the tutor’s daily digest', () => {
  it('is told once per calendar day on this device, and only when there is news', () => {
    const storage = memoryStorage()
    const morning = new Date(2030, 0, 7, 8, 0)
    expect(digestDue({ since: 0, students: [] }, morning, storage)).toBe(false)
    expect(digestDue(null, morning, storage)).toBe(false)
    expect(digestDue(news, morning, storage)).toBe(true)
    markDigestShown(morning, storage)
    expect(digestDue(news, new Date(2030, 0, 7, 23, 59), storage)).toBe(false)
    // The next day, past local midnight: told again.
    expect(digestDue(news, new Date(2030, 0, 8, 0, 1), storage)).toBe(true)
  })

  it('says who and why, with each rule in the tutor’s words', () => {
    const t = (key: string) => ({ 'records.flag.rule.inactive': 'No activity', 'records.flag.rule.low_completion': 'Low attendance', 'records.flag.rule.low_ratings': 'Low ratings' })[key] ?? key
    expect(digestText(t, news)).toBe('Wei (No activity); Ana (Low attendance, Low ratings)')
  })

  it('without storage it stays quiet rather than tell on every start', () => {
    const broken = { getItem: () => { throw new Error('denied') }, setItem: () => { throw new Error('denied') } }
    expect(digestDue(news, new Date(), broken)).toBe(false)
    expect(() => markDigestShown(new Date(), broken)).not.toThrow()
  })
})
