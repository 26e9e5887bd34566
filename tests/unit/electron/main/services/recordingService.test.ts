import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RecordingService } from '../../../../../electron/main/services/RecordingService'
import { nodeRecordingFs } from '../../../../../src/node/recordingFs'
import { LessonRecordStore } from '../../../../../src/shared/recording/lessonRecordStore'
import { RecordingManager } from '../../../../../src/shared/recording/manager'
import { LESSON_ID, fixture, meta, tempDirs } from '../../../shared/recording/helpers'
import { fakeLogger } from '../../fakes'

const tempDir = tempDirs()

function service(root: string) {
  const store = new LessonRecordStore({ fs: nodeRecordingFs, root, now: () => 1 })
  let n = 0
  const manager = new RecordingManager({ store, now: () => 0, newId: () => `recording-${++n}`, logger: fakeLogger(), minStartFreeBytes: 0 })
  const logger = fakeLogger()
  return { store, service: new RecordingService({ manager, logger }), logger }
}

/** Chunks cut where MediaRecorder cut them: two of four end mid-cluster, like a crash; four are the whole recording. */
async function recordChunks(svc: RecordingService, count: number): Promise<string> {
  const opened = await svc.open({ lessonId: LESSON_ID, mimeType: 'video/webm;codecs=vp9,opus', startedAt: 5, meta: meta() })
  if (!opened.ok) throw new Error(opened.message)
  const { chunks } = fixture('vp9-4s')
  for (let seq = 0; seq < count; seq += 1) expect(await svc.write({ recordingId: opened.recordingId, seq, data: chunks[seq]! })).toMatchObject({ ok: true })
  return opened.recordingId
}

describe('RecordingService (desktop)', () => {
  it('records into userData/library and finalizes on close', async () => {
    const root = join(tempDir(), 'library')
    const { service: svc, store } = service(root)
    const id = await recordChunks(svc, 4)
    expect(svc.isRecording(LESSON_ID)).toBe(true)
    expect(await svc.close(id)).toMatchObject({ status: 'ready' })
    expect(svc.isRecording(LESSON_ID)).toBe(false)
    expect(await svc.close(id)).toBeNull()
    expect((await store.readRecord(LESSON_ID))?.recordings[0]?.status).toBe('ready')
  })

  it('finishes the file at once when the renderer crashes or reloads', async () => {
    const root = join(tempDir(), 'library')
    const { service: svc, store, logger } = service(root)
    await recordChunks(svc, 2)
    svc.rendererGone()
    await expect.poll(async () => (await store.readRecord(LESSON_ID))?.recordings[0]?.status).toBe('repaired')
    expect(logger.warn).toHaveBeenCalled()
    expect(svc.isRecording(LESSON_ID)).toBe(false)
  })

  it('quits fast (no rewrite) and repairs on the next start', async () => {
    const root = join(tempDir(), 'library')
    const first = service(root)
    await recordChunks(first.service, 2)
    await first.service.shutdown()
    const sidecar = join(root, LESSON_ID, 'recording.webm.inprogress')
    expect(existsSync(sidecar)).toBe(true)

    const next = service(root)
    await next.service.start()
    expect(existsSync(sidecar)).toBe(false)
    const part = (await next.store.readRecord(LESSON_ID))?.recordings[0]
    expect(part).toMatchObject({ status: 'repaired', problem: { code: 'interrupted' } })
    expect(part?.durationMs).toBeGreaterThan(1500)
  })
})
