import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { ALL_FORMATS, BufferSource, Input } from 'mediabunny'
import { describe, expect, it } from 'vitest'
import { nodeRecordingFs } from '../../../../src/node/recordingFs'
import { finalizeRecording } from '../../../../src/shared/recording/finalize'
import { scanWebm } from '../../../../src/shared/recording/webmScan'
import { faultyFs, fixture, memorySource, tempDirs } from './helpers'

const tempDir = tempDirs()

async function durationOf(bytes: Uint8Array): Promise<number> {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS })
  try {
    return await input.computeDuration()
  } finally {
    input.dispose()
  }
}

describe('finalizeRecording', () => {
  it('adds Duration and Cues to a finished recording without changing its length', async () => {
    const dir = tempDir()
    const file = join(dir, 'recording.webm')
    const { bytes } = fixture('vp9-4s')
    writeFileSync(file, bytes)
    const result = await finalizeRecording(nodeRecordingFs, file, 'stopped')
    expect(result).toMatchObject({ status: 'ready', problem: null, retryLater: false })
    expect(result.durationMs).toBeGreaterThan(3800)
    expect(result.durationMs).toBeLessThan(4300)
    const fixed = new Uint8Array(readFileSync(file))
    const scan = await scanWebm(memorySource(fixed))
    expect(scan).toMatchObject({ ok: true, hasDuration: true, hasCues: true, truncatedBytes: 0 })
    expect(Math.abs((await durationOf(fixed)) * 1000 - (result.durationMs ?? 0))).toBeLessThan(50)
    expect(existsSync(`${file}.finalizing`)).toBe(false)
  })

  it('repairs a file cut off mid-cluster: drops the torn tail, keeps the rest playable', async () => {
    const dir = tempDir()
    const file = join(dir, 'recording.webm')
    const { bytes, chunks } = fixture('vp8-4s')
    // Three whole chunks and half of the fourth, as a killed app leaves it.
    const cut = (chunks[0]?.length ?? 0) + (chunks[1]?.length ?? 0) + (chunks[2]?.length ?? 0) + 7_000
    writeFileSync(file, bytes.subarray(0, cut))
    const result = await finalizeRecording(nodeRecordingFs, file, 'interrupted')
    expect(result.status).toBe('repaired')
    expect(result.problem?.code).toBe('interrupted')
    // Missing at most the last two seconds of the 4 s recording.
    expect(result.durationMs).toBeGreaterThan(2000)
    const fixed = new Uint8Array(readFileSync(file))
    expect(await scanWebm(memorySource(fixed))).toMatchObject({ ok: true, hasDuration: true, hasCues: true, truncatedBytes: 0 })
    expect(await durationOf(fixed)).toBeGreaterThan(2)
  })

  it('leaves files it cannot use as they are and says why', async () => {
    const dir = tempDir()
    const text = join(dir, 'recording.webm')
    writeFileSync(text, 'not a video at all')
    expect(await finalizeRecording(nodeRecordingFs, text, 'stopped')).toMatchObject({ status: 'damaged', problem: { code: 'not-webm' } })
    expect(readFileSync(text, 'utf8')).toBe('not a video at all')
    expect(await finalizeRecording(nodeRecordingFs, join(dir, 'recording-2.webm'), 'stopped')).toMatchObject({ status: 'damaged', problem: { code: 'file-missing' } })
    writeFileSync(join(dir, 'empty.webm'), '')
    expect(await finalizeRecording(nodeRecordingFs, join(dir, 'empty.webm'), 'stopped')).toMatchObject({ status: 'damaged', problem: { code: 'file-empty' } })
  })

  it('waits for disk space instead of half-writing the rewrite', async () => {
    const dir = tempDir()
    const file = join(dir, 'recording.webm')
    const { bytes } = fixture('vp9-4s')
    writeFileSync(file, bytes)
    const result = await finalizeRecording(faultyFs({ freeBytes: 1000 }), file, 'stopped')
    expect(result).toMatchObject({ status: 'damaged', retryLater: true, problem: { code: 'no-space-to-finish' } })
    expect(new Uint8Array(readFileSync(file))).toEqual(bytes)
  })
})
