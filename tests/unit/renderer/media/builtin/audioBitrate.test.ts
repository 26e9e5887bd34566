import { describe, expect, it } from 'vitest'
import { AUDIO_FULL_BITRATE_BPS, AUDIO_LEAN_BITRATE_BPS, AudioBitrate } from '../../../../../src/renderer/media/builtin/audioBitrate'

describe('AudioBitrate', () => {
  it('keeps the full rate while the estimate holds, and before there is one', () => {
    const audio = new AudioBitrate()
    expect(audio.observe({ at: 0, bweKbps: null })).toBe(AUDIO_FULL_BITRATE_BPS)
    for (let at = 0; at < 10_000; at += 1000) expect(audio.observe({ at, bweKbps: 1500 })).toBe(AUDIO_FULL_BITRATE_BPS)
  })

  it('goes lean at once when the estimate falls as low as a lossy link drives it', () => {
    const audio = new AudioBitrate()
    audio.observe({ at: 0, bweKbps: 1500 })
    expect(audio.observe({ at: 1000, bweKbps: 120 })).toBe(AUDIO_LEAN_BITRATE_BPS)
    expect(audio.current).toBe(AUDIO_LEAN_BITRATE_BPS)
  })

  it('comes back only after the estimate has stayed well above the lean mark for 5 s', () => {
    const audio = new AudioBitrate()
    audio.observe({ at: 0, bweKbps: 100 })
    // Between the two marks: stays lean however long.
    for (let at = 1000; at <= 20_000; at += 1000) expect(audio.observe({ at, bweKbps: 380 })).toBe(AUDIO_LEAN_BITRATE_BPS)
    // High for 4 s, then a dip: the wait starts again.
    for (let at = 21_000; at <= 24_000; at += 1000) expect(audio.observe({ at, bweKbps: 900 })).toBe(AUDIO_LEAN_BITRATE_BPS)
    expect(audio.observe({ at: 25_000, bweKbps: 400 })).toBe(AUDIO_LEAN_BITRATE_BPS)
    for (let at = 26_000; at < 31_000; at += 1000) expect(audio.observe({ at, bweKbps: 900 })).toBe(AUDIO_LEAN_BITRATE_BPS)
    expect(audio.observe({ at: 31_000, bweKbps: 900 })).toBe(AUDIO_FULL_BITRATE_BPS)
  })
})
