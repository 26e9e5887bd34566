import { describe, expect, it } from 'vitest'
import { forgetLessonUnsentText, keepUnsentText, MAX_UNSENT_CHARS, unsentKeys, unsentText } from '../../../../src/renderer/ui/unsentText'
import { memoryStorage } from '../../../support/memoryStorage'

describe('unsent text, kept per place', () => {
  it('keeps each conversation’s own, and forgets one when its text is gone', () => {
    const storage = memoryStorage()
    keepUnsentText('lesson:a', 'Is $x^2$ right', storage)
    keepUnsentText('thread:b', 'See you Thursday', storage)
    expect(unsentText('lesson:a', storage)).toBe('Is $x^2$ right')
    expect(unsentText('thread:b', storage)).toBe('See you Thursday')
    expect(unsentText('lesson:c', storage)).toBe('')
    keepUnsentText('lesson:a', '  \n', storage)
    expect(unsentText('lesson:a', storage)).toBe('')
    keepUnsentText('thread:b', '', storage)
    expect(storage.length).toBe(0)
  })

  it('keeps only the newest twenty, and a long text up to its limit', () => {
    const storage = memoryStorage()
    for (let i = 0; i < 25; i++) keepUnsentText(`lesson:${i}`, `text ${i}`, storage)
    expect(unsentText('lesson:24', storage)).toBe('text 24')
    expect(unsentText('lesson:5', storage)).toBe('text 5')
    expect(unsentText('lesson:4', storage)).toBe('')
    keepUnsentText(unsentKeys.aiPractice(`https://school.example/${'p'.repeat(2000)}`), 'practice', storage)
    expect(unsentText(unsentKeys.aiPractice(`https://school.example/${'p'.repeat(2000)}`), storage)).toBe('practice')
    keepUnsentText('lesson:long', 'x'.repeat(MAX_UNSENT_CHARS + 100), storage)
    expect(unsentText('lesson:long', storage)).toHaveLength(MAX_UNSENT_CHARS)
  })

  it('drops what it cannot trust, and lives on when storage refuses', () => {
    const storage = memoryStorage()
    storage.setItem('duet.unsentText', JSON.stringify([{ key: 'lesson:a', text: 'kept' }, { key: 'lesson:b', text: 42 }, 'junk']))
    expect(unsentText('lesson:a', storage)).toBe('kept')
    expect(unsentText('lesson:b', storage)).toBe('')
    storage.setItem('duet.unsentText', '{not json')
    expect(unsentText('lesson:a', storage)).toBe('')
    const full = { ...memoryStorage(), setItem: () => { throw new DOMException('full', 'QuotaExceededError') } } as Storage
    expect(() => keepUnsentText('lesson:a', 'text', full)).not.toThrow()
  })

  it('forgets what a lesson’s chat and AI panel held when the lesson ends, and nothing else', () => {
    const storage = memoryStorage()
    const { chatLesson, aiLesson, chatThread } = unsentKeys
    for (const key of [chatLesson('a'), aiLesson('a'), `${aiLesson('a')}:attempt`, chatLesson('ab'), chatThread('a')]) keepUnsentText(key, `in ${key}`, storage)
    forgetLessonUnsentText('a', storage)
    expect([chatLesson('a'), aiLesson('a'), `${aiLesson('a')}:attempt`].map((key) => unsentText(key, storage))).toEqual(['', '', ''])
    expect(unsentText(chatLesson('ab'), storage)).toBe(`in ${chatLesson('ab')}`)
    expect(unsentText(chatThread('a'), storage)).toBe(`in ${chatThread('a')}`)
  })
})
