import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { readStoredList, writeStoredList } from '../../../../src/renderer/ui/storedList'
import { memoryStorage } from '../../../support/memoryStorage'

const Entry = z.object({ id: z.string(), n: z.number() })

describe('a list kept in localStorage', () => {
  it('reads back only the entries its schema accepts; anything else there is an empty list', () => {
    const storage = memoryStorage()
    expect(readStoredList(storage, 'k', Entry)).toEqual([])
    storage.setItem('k', JSON.stringify([{ id: 'a', n: 1 }, { id: 'b', n: 'two' }, null, { id: 'c', n: 3, extra: true }]))
    expect(readStoredList(storage, 'k', Entry)).toEqual([{ id: 'a', n: 1 }, { id: 'c', n: 3 }])
    for (const junk of ['{"id":"a"}', '"text"', '{broken', '']) {
      storage.setItem('k', junk)
      expect(readStoredList(storage, 'k', Entry), junk).toEqual([])
    }
  })

  it('writes the list, removes the key for an empty one, and survives storage that refuses', () => {
    const storage = memoryStorage()
    writeStoredList(storage, 'k', [{ id: 'a', n: 1 }])
    expect(readStoredList(storage, 'k', Entry)).toEqual([{ id: 'a', n: 1 }])
    writeStoredList(storage, 'k', [])
    expect(storage.getItem('k')).toBeNull()
    const refusing = { setItem: () => { throw new DOMException('full', 'QuotaExceededError') }, removeItem: () => {} }
    expect(() => writeStoredList(refusing, 'k', [{ id: 'a', n: 1 }])).not.toThrow()
  })
})
