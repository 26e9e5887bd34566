import { describe, expect, it } from 'vitest'
import { MAX_STROKE_POINTS } from '../../../../src/shared/board/limits'
import { decodePoints, encodePoints, quantize, toBoardPoints } from '../../../../src/shared/board/points'

describe('stroke point codec', () => {
  it('round-trips quantized points exactly, including negative and large moves', () => {
    const ints = [...quantize(10.3, 20.1, 0.5), ...quantize(-5, 3000.75, 1), ...quantize(1599.9, 0, 0), ...quantize(12, 12, 2)]
    const decoded = decodePoints(encodePoints(ints))
    expect(decoded && [...decoded]).toEqual(ints)
    const pts = toBoardPoints(ints)
    expect(pts[0]).toBeCloseTo(10.25)
    expect(pts[4]).toBeCloseTo(3000.75)
    expect(pts[11]).toBe(1) // pressure clamped to 1
  })

  it('packs a typical handwriting stroke in about 3 bytes per point', () => {
    const ints: number[] = []
    for (let i = 0; i < 100; i++) ints.push(...quantize(200 + i * 1.5, 300 + Math.sin(i / 5) * 20, 0.4 + (i % 10) / 50))
    expect(encodePoints(ints).length).toBeLessThan(100 * 3.5 + 4)
  })

  it('refuses malformed bytes instead of guessing', () => {
    const good = encodePoints([...quantize(1, 2, 0.5), ...quantize(3, 4, 0.5)])
    expect(decodePoints(good.subarray(0, good.length - 1))).toBeNull() // truncated
    expect(decodePoints(Uint8Array.from([...good, 0]))).toBeNull() // trailing junk
    expect(decodePoints(Uint8Array.from([9, 1, 0, 0, 0]))).toBeNull() // unknown version
    expect(decodePoints(Uint8Array.from([1, 1, 0, 0, 200, 1]))).toBeNull() // pressure out of range
    expect(decodePoints(Uint8Array.from([1, 0xff, 0xff, 0xff, 0x7f]))).toBeNull() // absurd count
    expect(decodePoints(new Uint8Array())).toBeNull()
  })

  it('caps a stroke at MAX_STROKE_POINTS', () => {
    const ints = new Array((MAX_STROKE_POINTS + 10) * 3).fill(1)
    expect(decodePoints(encodePoints(ints))?.length).toBe(MAX_STROKE_POINTS * 3)
  })
})
