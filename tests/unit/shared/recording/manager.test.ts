import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nodeRecordingFs } from '../../../../src/node/recordingFs'
import type { RecordingFs } from '../../../../src/shared/recording/fs'
import { LessonRecordStore } from '../../../../src/shared/recording/lessonRecordStore'
import { RecordingManager } from '../../../../src/shared/recording/manager'
import { scanWebm } from '../../../../src/shared/recording/webmScan'
import { LESSON_ID, faultyFs, fixture, memorySource, meta, silent, tempDirs } from './helpers'

const tempDir = tempDirs()
let ids = 0

function setup(fs: RecordingFs = nodeRecordingFs, root = join(tempDir(), 'library')) {
  const store = new LessonRecordStore({ fs, root, now: () => 1_700_000_000_000 })
  const manager = new RecordingManager({ store, now: () => 0, newId: () => `rec-${String(++ids).padStart(8, '0')}`, logger: silent, minStartFreeBytes: 1000 })
  return { store, manager, root, folder: join(root, LESSON_ID) }
}

const open = (manager: RecordingManager, startedAt = 1_700_000_000_500) =>
  manager.openRecording({ lessonId: LESSON_ID, mimeType: 'video/webm;codecs=vp9,opus', startedAt, meta: meta() })

describe('RecordingManager', () => {
  it('writes a recording into the lesson folder and finalizes it on close', async () => {
    const { store, manager, folder } = setup()
    const opened = await open(manager)
    if (!opened.ok) throw new Error(opened.message)
    expect(opened.file).toBe('recording.webm')
    expect(existsSync(join(folder, 'recording.webm.inprogress'))).toBe(true)
    expect(manager.isRecording(LESSON_ID, 'recording.webm')).toBe(true)
    const { chunks } = fixture('vp9-4s')
    for (const [seq, chunk] of chunks.entries()) expect(await manager.write(opened.recordingId, seq, chunk)).toMatchObject({ ok: true })
    await manager.thumbnail(opened.recordingId, new Uint8Array([0xff, 0xd8, 0xff]))
    const closed = await manager.close(opened.recordingId)
    expect(closed).toMatchObject({ file: 'recording.webm', status: 'ready', problem: null })
    expect(closed?.durationMs).toBeGreaterThan(3800)
    expect(existsSync(join(folder, 'recording.webm.inprogress'))).toBe(false)
    const record = await store.readRecord(LESSON_ID)
    expect(record?.recordings).toEqual([
      expect.objectContaining({ file: 'recording.webm', status: 'ready', thumbnail: 'recording.jpg', startedAt: 1_700_000_000_500 }),
    ])
    expect(await store.markers(LESSON_ID)).toEqual([{ at: 1_700_000_000_500, kind: 'recording-start', label: 'recording.webm' }])
    // A second recording in the same lesson is a new part.
    const again = await open(manager)
    expect(again).toMatchObject({ ok: true, file: 'recording-2.webm' })
    expect(await manager.write('rec-unknown1', 0, new Uint8Array(1))).toMatchObject({ ok: false, reason: 'closed' })
    await manager.closeAll('stopped')
  })

  it('after a crash, the next start finds the partial recording, repairs it, and it plays', async () => {
    const root = join(tempDir(), 'library')
    const before = setup(nodeRecordingFs, root)
    const opened = await open(before.manager)
    if (!opened.ok) throw new Error(opened.message)
    const { chunks } = fixture('vp8-4s')
    // Three chunks reach the disk, the fourth only half-way: then the process dies (no close).
    for (let seq = 0; seq < 3; seq += 1) await before.manager.write(opened.recordingId, seq, chunks[seq] ?? new Uint8Array())
    const path = join(before.folder, 'recording.webm')
    const torn = chunks[3]?.subarray(0, 5000) ?? new Uint8Array()
    writeFileSync(path, Buffer.concat([readFileSync(path), torn]))

    const after = setup(nodeRecordingFs, root)
    expect(await after.manager.recover()).toBe(1)
    expect(existsSync(`${path}.inprogress`)).toBe(false)
    const part = (await after.store.readRecord(LESSON_ID))?.recordings[0]
    expect(part).toMatchObject({ status: 'repaired', problem: { code: 'interrupted' } })
    // 4 s recorded, at most the last 2 s lost.
    expect(part?.durationMs).toBeGreaterThan(2000)
    expect(await scanWebm(memorySource(new Uint8Array(readFileSync(path))))).toMatchObject({ ok: true, hasCues: true, hasDuration: true, truncatedBytes: 0 })
    expect(await after.manager.recover()).toBe(0)
  })

  it('a full disk stops the recording cleanly and keeps everything written', async () => {
    const fs = faultyFs()
    const { store, manager, folder } = setup(fs)
    const opened = await open(manager)
    if (!opened.ok) throw new Error(opened.message)
    const { chunks } = fixture('vp9-4s')
    const firstTwo = (chunks[0]?.length ?? 0) + (chunks[1]?.length ?? 0)
    fs.faults.diskFullAfter = firstTwo + 100
    expect(await manager.write(opened.recordingId, 0, chunks[0]!)).toMatchObject({ ok: true })
    expect(await manager.write(opened.recordingId, 1, chunks[1]!)).toMatchObject({ ok: true })
    expect(await manager.write(opened.recordingId, 2, chunks[2]!)).toMatchObject({ ok: false, reason: 'disk-full' })
    expect(readFileSync(join(folder, 'recording.webm')).length).toBe(firstTwo)
    fs.faults.diskFullAfter = null // the rewrite needs room; space came back meanwhile
    const closed = await manager.close(opened.recordingId)
    expect(closed).toMatchObject({ status: 'repaired', problem: { code: 'disk-full' } })
    expect(closed?.durationMs).toBeGreaterThan(1500)
    expect((await store.readRecord(LESSON_ID))?.recordings[0]?.status).toBe('repaired')
  })

  it('refuses to start when the disk is nearly full', async () => {
    const { manager } = setup(faultyFs({ freeBytes: 10 }))
    expect(await open(manager)).toMatchObject({ ok: false, reason: 'low-space' })
  })

  it('closeAll finalizes the open recordings of a lesson (renderer gone, lesson ended)', async () => {
    const { manager, store } = setup()
    const opened = await open(manager)
    if (!opened.ok) throw new Error(opened.message)
    const { chunks } = fixture('vp9-4s')
    await manager.write(opened.recordingId, 0, chunks[0]!)
    await manager.write(opened.recordingId, 1, chunks[1]!)
    await manager.closeAll('interrupted', LESSON_ID)
    expect(manager.recordingIds()).toEqual([])
    expect((await store.readRecord(LESSON_ID))?.recordings[0]).toMatchObject({ status: 'repaired', problem: { code: 'interrupted' } })
  })
})
