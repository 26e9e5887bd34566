import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RecordingWriter } from '../../../../src/shared/recording/writer'
import { faultyFs, tempDirs } from './helpers'

const tempDir = tempDirs()
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill)

async function writer(faults: Parameters<typeof faultyFs>[0] = {}, now = () => 0) {
  const fs = faultyFs(faults)
  const path = join(tempDir(), 'recording.webm')
  const w = await RecordingWriter.create(fs, path, { now, freeBytes: () => fs.freeBytes(path), lowSpaceBytes: 10_000, stopFreeBytes: 1_000, spaceCheckIntervalMs: 0 })
  return { fs, path, w, disk: () => new Uint8Array(readFileSync(path)) }
}

describe('RecordingWriter', () => {
  it('appends chunks in order and fsyncs each before acknowledging it', async () => {
    const { fs, w, disk } = await writer({ freeBytes: 1e9 })
    expect(await w.append(0, bytes(10, 1))).toEqual({ ok: true, bytes: 10, freeBytes: 1e9 - 10, lowSpace: false })
    expect(fs.faults.syncs).toBe(1)
    expect(await w.append(1, bytes(5, 2))).toMatchObject({ ok: true, bytes: 15 })
    expect(fs.faults.syncs).toBe(2)
    await w.close()
    expect(disk()).toEqual(new Uint8Array([...bytes(10, 1), ...bytes(5, 2)]))
    await w.close() // twice is fine
    expect(await w.append(2, bytes(1, 3))).toMatchObject({ ok: false, reason: 'closed' })
  })

  it('serializes concurrent appends', async () => {
    const { w, disk } = await writer()
    const results = await Promise.all([w.append(0, bytes(3, 1)), w.append(1, bytes(3, 2)), w.append(2, bytes(3, 3))])
    expect(results.every((r) => r.ok)).toBe(true)
    await w.close()
    expect(disk()).toEqual(new Uint8Array([1, 1, 1, 2, 2, 2, 3, 3, 3]))
  })

  it('takes a retried chunk once and refuses gaps and bad numbers', async () => {
    const { w, disk } = await writer()
    await w.append(0, bytes(4, 1))
    expect(await w.append(0, bytes(4, 1))).toMatchObject({ ok: true, bytes: 4 })
    expect(await w.append(2, bytes(4, 2))).toMatchObject({ ok: false, reason: 'sequence' })
    expect(await w.append(-1, bytes(4, 2))).toMatchObject({ ok: false, reason: 'sequence' })
    expect(await w.append(1.5, bytes(4, 2))).toMatchObject({ ok: false, reason: 'sequence' })
    // A refused number does not break the writer.
    expect(await w.append(1, bytes(2, 2))).toMatchObject({ ok: true, bytes: 6 })
    await w.close()
    expect(disk().length).toBe(6)
  })

  it('refuses a chunk over the size limit', async () => {
    const { w } = await writer()
    expect(await w.append(0, new Uint8Array(8 * 1024 * 1024 + 1))).toMatchObject({ ok: false, reason: 'too-large' })
    await w.close()
  })

  it('on a full disk, cuts the torn chunk off and stops cleanly, keeping what was written', async () => {
    const { w, disk } = await writer({ diskFullAfter: 25 })
    expect(await w.append(0, bytes(10, 1))).toMatchObject({ ok: true })
    expect(await w.append(1, bytes(10, 2))).toMatchObject({ ok: true })
    // 5 of these 10 bytes fit before ENOSPC: they must not stay in the file.
    expect(await w.append(2, bytes(10, 3))).toMatchObject({ ok: false, reason: 'disk-full' })
    expect(await w.append(3, bytes(1, 4))).toMatchObject({ ok: false, reason: 'disk-full' })
    expect(w.failure).toMatchObject({ reason: 'disk-full' })
    await w.close()
    expect(disk()).toEqual(new Uint8Array([...bytes(10, 1), ...bytes(10, 2)]))
  })

  it('warns when space runs low and stops before the disk is really full', async () => {
    const { fs, w } = await writer({ freeBytes: 50_000 })
    expect(await w.append(0, bytes(10, 1))).toMatchObject({ ok: true, lowSpace: false })
    fs.faults.freeBytes = 5_000
    expect(await w.append(1, bytes(10, 1))).toMatchObject({ ok: true, lowSpace: true })
    fs.faults.freeBytes = 500
    expect(await w.append(2, bytes(10, 1))).toMatchObject({ ok: false, reason: 'disk-full' })
    expect(w.bytes).toBe(20)
    await w.close()
  })

  it('refuses to overwrite an existing file', async () => {
    const { fs, path, w } = await writer()
    await w.close()
    await expect(RecordingWriter.create(fs, path, { now: () => 0, freeBytes: async () => null })).rejects.toThrow()
  })
})
