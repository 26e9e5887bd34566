import { describe, expect, it } from 'vitest'
import { buildRed, parseRed, RedDeepener } from '../../../../../src/renderer/media/builtin/audioRedundancy'

const OPUS = 111
/** An Opus frame's stand-in: `n` bytes of `fill`. */
const frame = (fill: number, n = 60) => new Uint8Array(n).fill(fill)

/** A RED payload as Chromium's encoder writes it: the previous frame (if any) 960 samples back, then the primary. */
function chromiumRed(primary: Uint8Array, previous: Uint8Array | null): Uint8Array {
  return buildRed(previous ? [{ payloadType: OPUS, offset: 960, data: previous }] : [], { payloadType: OPUS, offset: 0, data: primary })
}

describe('RED payloads (RFC 2198)', () => {
  it('parses what it builds: headers, offsets, lengths, primary last', () => {
    const payload = buildRed(
      [
        { payloadType: OPUS, offset: 1920, data: frame(1, 70) },
        { payloadType: OPUS, offset: 960, data: frame(2, 300) },
      ],
      { payloadType: OPUS, offset: 0, data: frame(3, 80) },
    )
    expect(payload.length).toBe(4 + 4 + 1 + 70 + 300 + 80)
    // First header: F bit, PT 111; offset 1920 in 14 bits; length 70 in 10 bits.
    expect([...payload.subarray(0, 4)]).toEqual([0x80 | OPUS, 1920 >> 6, ((1920 & 0x3f) << 2) | (70 >> 8), 70 & 0xff])
    const red = parseRed(payload)!
    expect(red.redundant.map((b) => [b.offset, b.data.length, b.data[0]])).toEqual([
      [1920, 70, 1],
      [960, 300, 2],
    ])
    expect(red.primary.payloadType).toBe(OPUS)
    expect([...red.primary.data]).toEqual([...frame(3, 80)])
  })

  it('a payload whose blocks run past its end is not RED', () => {
    const payload = buildRed([{ payloadType: OPUS, offset: 960, data: frame(1, 100) }], { payloadType: OPUS, offset: 0, data: frame(2) })
    expect(parseRed(payload.subarray(0, 50))).toBeNull()
    expect(parseRed(new Uint8Array([0x80 | OPUS, 1]))).toBeNull()
    expect(parseRed(new Uint8Array())).toBeNull()
  })

  it('leaves out blocks RED cannot carry: too far back, too long, or past the packet budget (oldest first)', () => {
    const primary = { payloadType: OPUS, offset: 0, data: frame(9) }
    const tooFar = { payloadType: OPUS, offset: 1 << 14, data: frame(1) }
    const tooLong = { payloadType: OPUS, offset: 1920, data: frame(2, 1024) }
    const fine = { payloadType: OPUS, offset: 960, data: frame(3) }
    expect(parseRed(buildRed([tooFar, tooLong, fine], primary))!.redundant.map((b) => b.offset)).toEqual([960])
    const big = (offset: number) => ({ payloadType: OPUS, offset, data: frame(offset / 960, 500) })
    expect(parseRed(buildRed([big(2880), big(1920), big(960)], primary))!.redundant.map((b) => b.offset)).toEqual([1920, 960])
  })
})

describe('RedDeepener: each packet carries the two previous frames', () => {
  it('rewrites a stream of RED payloads to carry the two previous primaries at their timestamp distance', () => {
    const deepener = new RedDeepener(2)
    const sent: Uint8Array[] = []
    for (let i = 0; i < 5; i += 1) sent.push(deepener.next(chromiumRed(frame(10 + i), i > 0 ? frame(10 + i - 1) : null), 1000 + i * 960))
    // The first packet goes as the browser wrote it (nothing earlier seen).
    expect(parseRed(sent[0]!)!.redundant).toEqual([])
    expect(parseRed(sent[1]!)!.redundant.map((b) => [b.offset, b.data[0]])).toEqual([[960, 10]])
    for (let i = 2; i < 5; i += 1) {
      const red = parseRed(sent[i]!)!
      expect(red.redundant.map((b) => [b.offset, b.data[0]])).toEqual([
        [1920, 10 + i - 2],
        [960, 10 + i - 1],
      ])
      expect(red.primary.data[0]).toBe(10 + i)
    }
  })

  it('a frame is lost only with three packets in a row: each of them carries it', () => {
    const deepener = new RedDeepener(2)
    const sent = [0, 1, 2, 3].map((i) => deepener.next(chromiumRed(frame(i), i > 0 ? frame(i - 1) : null), i * 960))
    // Frame 1 arrives in packet 1 (primary), 2 (one back) and 3 (two back).
    const carries = (p: Uint8Array) => [...parseRed(p)!.redundant.map((b) => b.data[0]), parseRed(p)!.primary.data[0]]
    expect([1, 2, 3].every((i) => carries(sent[i]!).includes(1))).toBe(true)
  })

  it('measures offsets from real timestamps (a pause in the audio) and across the 32-bit wrap', () => {
    const deepener = new RedDeepener(2)
    deepener.next(chromiumRed(frame(1), null), 0xffff_fc40) // 960 before the wrap
    deepener.next(chromiumRed(frame(2), frame(1)), 0)
    const red = parseRed(deepener.next(chromiumRed(frame(3), frame(2)), 2880))!
    expect(red.redundant.map((b) => [b.offset, b.data[0]])).toEqual([
      [3840, 1],
      [2880, 2],
    ])
  })

  it('drops history after a timestamp jump RED cannot express, and passes anything that is not RED unchanged', () => {
    const deepener = new RedDeepener(2)
    deepener.next(chromiumRed(frame(1), null), 0)
    const afterJump = chromiumRed(frame(2), frame(1))
    expect(deepener.next(afterJump, 100_000)).toBe(afterJump)
    const notRed = new Uint8Array([0x80 | 5])
    expect(deepener.next(notRed, 101_000)).toBe(notRed)
  })

  it('keeps a copy of each frame: the browser reusing its buffer changes nothing sent later', () => {
    const deepener = new RedDeepener(2)
    const first = chromiumRed(frame(1), null)
    deepener.next(first, 0)
    first.fill(0xee)
    const red = parseRed(deepener.next(chromiumRed(frame(2), null), 960))!
    expect(red.redundant[0]!.data[0]).toBe(1)
  })
})
