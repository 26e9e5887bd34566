import { describe, expect, it } from 'vitest'
import { scanWebm } from '../../../../src/shared/recording/webmScan'
import { fixture, memorySource } from './helpers'

describe('scanWebm on real MediaRecorder output', () => {
  for (const name of ['vp9-4s', 'vp8-4s'] as const) {
    it(`${name}: walks every cluster and frame, finds no torn tail`, async () => {
      const { bytes } = fixture(name)
      const scan = await scanWebm(memorySource(bytes))
      if (!scan.ok) throw new Error(scan.detail)
      expect(scan.cleanEnd).toBe(bytes.length)
      expect(scan.truncatedBytes).toBe(0)
      expect(scan.clusters).toBeGreaterThanOrEqual(3)
      // ~30 fps for ~4 s; Chromium packs 60 ms of Opus per block.
      expect(scan.videoFrames).toBeGreaterThan(90)
      expect(scan.audioBlocks).toBeGreaterThan(50)
      expect(scan.mediaEndMs).toBeGreaterThan(3500)
      expect(scan.mediaEndMs).toBeLessThan(4600)
      // What MediaRecorder leaves out, and finalize adds.
      expect(scan.hasDuration).toBe(false)
      expect(scan.hasCues).toBe(false)
    })
  }

  it('stops at the last complete block when the file is cut anywhere in the media', async () => {
    const { bytes } = fixture('vp9-4s')
    const full = await scanWebm(memorySource(bytes))
    if (!full.ok) throw new Error('fixture')
    let previous = 0
    for (const cut of [600, 5_000, 20_001, 33_333, 50_000, bytes.length - 3]) {
      const scan = await scanWebm(memorySource(bytes.subarray(0, cut)))
      if (!scan.ok) throw new Error(`cut at ${cut}: ${scan.detail}`)
      expect(scan.cleanEnd).toBeLessThanOrEqual(cut)
      expect(scan.cleanEnd).toBeGreaterThanOrEqual(previous)
      expect(scan.truncatedBytes).toBe(cut - scan.cleanEnd)
      expect(scan.mediaEndMs).toBeLessThanOrEqual(full.mediaEndMs)
      previous = scan.cleanEnd
    }
  })

  it('treats zeros after a crash (allocated but never written) as the end', async () => {
    const { bytes } = fixture('vp9-4s')
    const padded = new Uint8Array(bytes.length + 4096)
    padded.set(bytes)
    const scan = await scanWebm(memorySource(padded))
    expect(scan.ok && scan.cleanEnd).toBe(bytes.length)
  })

  it('says why a file is not usable', async () => {
    expect(await scanWebm(memorySource(new TextEncoder().encode('hello, not a video')))).toMatchObject({ ok: false, problem: 'not-webm' })
    expect(await scanWebm(memorySource(new Uint8Array(0)))).toMatchObject({ ok: false, problem: 'not-webm' })
    const { bytes } = fixture('vp9-4s')
    // Cut inside the track list: nothing playable yet.
    expect(await scanWebm(memorySource(bytes.subarray(0, 120)))).toMatchObject({ ok: false, problem: 'no-media' })
  })
})
