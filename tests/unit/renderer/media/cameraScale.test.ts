import { describe, expect, it } from 'vitest'
import { cameraScaleFor, deviceBox } from '../../../../src/renderer/media/cameraScale'

describe('cameraScaleFor', () => {
  it('sends full HD when the tile is large or its size is not known', () => {
    expect(cameraScaleFor(null)).toBe(1)
    expect(cameraScaleFor(undefined)).toBe(1)
    expect(cameraScaleFor({ width: 1232, height: 547 })).toBe(1)
    expect(cameraScaleFor({ width: 2464, height: 1094 })).toBe(1)
  })

  it('sends half or a quarter when the tile is that small, never smaller than the tile', () => {
    // A 260x146 camera tile beside a shared screen, and the board's 184x138 tile: 320x180 still covers both.
    expect(cameraScaleFor({ width: 260, height: 146 })).toBe(4)
    expect(cameraScaleFor({ width: 184, height: 138 })).toBe(4)
    // The same tile on a 2x screen needs 640x360.
    expect(cameraScaleFor({ width: 368, height: 276 })).toBe(2)
    expect(cameraScaleFor({ width: 641, height: 200 })).toBe(1)
  })

  it('judges by the picture actually captured', () => {
    expect(cameraScaleFor({ width: 320, height: 240 }, { width: 640, height: 480 })).toBe(2)
  })
})

describe('deviceBox', () => {
  it('turns CSS pixels into whole device pixels', () => {
    expect(deviceBox(184, 138, 2)).toEqual({ width: 368, height: 276 })
    expect(deviceBox(183.6, 137.5, 1)).toEqual({ width: 184, height: 138 })
  })
  it('has no box while the tile is not laid out', () => {
    expect(deviceBox(0, 138, 1)).toBeNull()
  })
})
