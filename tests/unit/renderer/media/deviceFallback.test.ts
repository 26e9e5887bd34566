import { describe, expect, it } from 'vitest'
import { newDevices, pickFallbackDevice } from '../../../../src/renderer/media/deviceFallback'

const cams = [
  { id: 'a', label: 'Built-in camera' },
  { id: 'b', label: 'USB camera' },
  { id: 'c', label: 'Document camera' },
]

describe('pickFallbackDevice', () => {
  it('prefers the remembered device when it is not the lost one', () => {
    expect(pickFallbackDevice(cams, { id: 'b', label: 'USB camera' }, 'c')).toEqual(cams[2])
  })

  it('takes the first remaining device when the remembered one is the one lost', () => {
    expect(pickFallbackDevice(cams, { id: 'b', label: 'USB camera' }, 'b')).toEqual(cams[0])
  })

  it('skips the lost device by label too (still listed for a moment after unplugging)', () => {
    const listed = [{ id: 'b2', label: 'USB camera' }, ...cams.slice(2)]
    expect(pickFallbackDevice(listed, { id: 'b', label: 'USB camera' }, null)).toEqual(cams[2])
  })

  it('returns null when nothing else is left', () => {
    expect(pickFallbackDevice([cams[1]!], { id: 'b', label: 'USB camera' }, null)).toBeNull()
    expect(pickFallbackDevice([], { id: null, label: '' }, 'a')).toBeNull()
  })
})

describe('newDevices', () => {
  it('lists devices that were not there before', () => {
    expect(newDevices(cams.slice(0, 2), cams)).toEqual([cams[2]])
    expect(newDevices(cams, cams.slice(0, 1))).toEqual([])
  })
})
