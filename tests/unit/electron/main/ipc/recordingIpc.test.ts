import { describe, expect, it } from 'vitest'
import { createInvokeHandlers } from '../../../../../electron/main/ipc/handlers'
import { INVOKE_CHANNELS } from '../../../../../src/shared/ipc'
import { LESSON_ID, meta } from '../../../shared/recording/helpers'
import { fakeRecordingDeps } from '../services/recordingFakes'

const ch = INVOKE_CHANNELS

describe('recording and library IPC schemas', () => {
  it('take a chunk as Uint8Array with a whole sequence number and a size limit', () => {
    const ok = { recordingId: 'rec-00000001', seq: 0, data: new Uint8Array(10) }
    expect(ch['duet:recording:write'].request.safeParse(ok).success).toBe(true)
    for (const bad of [
      { ...ok, data: 'AAAA' },
      { ...ok, data: [1, 2, 3] },
      { ...ok, data: new Uint8Array(8 * 1024 * 1024 + 1) },
      { ...ok, seq: -1 },
      { ...ok, seq: 1.5 },
      { ...ok, recordingId: '../../x' },
      { ...ok, recordingId: 'short' },
    ]) {
      expect(ch['duet:recording:write'].request.safeParse(bad).success, JSON.stringify({ ...bad, data: typeof bad.data })).toBe(false)
    }
  })

  it('validate lesson ids, library folders, file names and export formats', () => {
    const open = ch['duet:recording:open'].request
    expect(open.safeParse({ lessonId: LESSON_ID, mimeType: 'video/webm;codecs=vp9,opus', startedAt: 1, meta: meta() }).success).toBe(true)
    expect(open.safeParse({ lessonId: '../x', mimeType: 'video/webm', startedAt: 1, meta: meta() }).success).toBe(false)
    expect(open.safeParse({ lessonId: LESSON_ID, mimeType: 'text/html', startedAt: 1, meta: meta() }).success).toBe(false)
    expect(ch['duet:library:delete'].request.safeParse(LESSON_ID).success).toBe(true)
    for (const bad of ['..', '../etc', 'a/b', 'a\\b', '', 'x'.repeat(65)]) expect(ch['duet:library:delete'].request.safeParse(bad).success, bad).toBe(false)
    const exp = ch['duet:library:export'].request
    expect(exp.safeParse({ id: LESSON_ID, file: 'recording-2.webm', format: 'mp4' }).success).toBe(true)
    expect(exp.safeParse({ id: LESSON_ID, file: 'board.pdf', format: 'original' }).success).toBe(true)
    for (const file of ['lesson.json', '../recording.webm', 'recording.webm/../../x', 'recording-1.webm', 'events.jsonl']) {
      expect(exp.safeParse({ id: LESSON_ID, file, format: 'original' }).success, file).toBe(false)
    }
    expect(exp.safeParse({ id: LESSON_ID, file: 'recording.webm', format: 'avi' }).success).toBe(false)
    const rename = ch['duet:library:rename'].request
    expect(rename.safeParse({ lessonId: LESSON_ID, title: ' Algebra ' })).toMatchObject({ success: true, data: { title: 'Algebra' } })
    expect(rename.safeParse({ lessonId: LESSON_ID, title: 'a\u0000b' }).success).toBe(false)
    expect(rename.safeParse({ lessonId: LESSON_ID, title: '' }).success).toBe(false)
    const file = ch['duet:library:addFile'].request
    expect(file.safeParse({ lessonId: LESSON_ID, name: 'board.pdf', data: new Uint8Array(1) }).success).toBe(true)
    expect(file.safeParse({ lessonId: LESSON_ID, name: 'notes.exe', data: new Uint8Array(1) }).success).toBe(false)
    expect(file.safeParse({ lessonId: LESSON_ID, name: 'chat-4.pdf', data: new Uint8Array(1), label: '作业.pdf' }).success).toBe(true)
    expect(exp.safeParse({ id: LESSON_ID, file: 'chat-4.pdf', format: 'original' }).success).toBe(true)
    const marker = ch['duet:library:addMarker'].request
    expect(marker.safeParse({ lessonId: LESSON_ID, marker: { at: 1, kind: 'page', label: 'Page 2' } }).success).toBe(true)
    expect(marker.safeParse({ lessonId: LESSON_ID, marker: { at: 1, kind: 'Page!', label: '' } }).success).toBe(false)
  })

  it('wires each channel to the recording and library services', async () => {
    const d = fakeRecordingDeps()
    const h = createInvokeHandlers({ ...(null as unknown as Parameters<typeof createInvokeHandlers>[0]), ...d })
    await h['duet:recording:write']({ recordingId: 'rec-00000001', seq: 3, data: new Uint8Array(2) })
    expect(d.recording.write).toHaveBeenCalledWith({ recordingId: 'rec-00000001', seq: 3, data: new Uint8Array(2) })
    await h['duet:recording:thumbnail']({ recordingId: 'rec-00000001', data: new Uint8Array(1) })
    expect(d.recording.thumbnail).toHaveBeenCalledWith('rec-00000001', new Uint8Array(1))
    await h['duet:library:addMarker']({ lessonId: LESSON_ID, marker: { at: 1, kind: 'page', label: '2' } })
    expect(d.library.addMarker).toHaveBeenCalledWith(LESSON_ID, { at: 1, kind: 'page', label: '2' })
    // A file from the chat reaches the library with the name its sender gave it.
    await h['duet:library:addFile']({ lessonId: LESSON_ID, name: 'chat-4.pdf', data: new Uint8Array(1), label: '作业.pdf' })
    expect(d.library.addFile).toHaveBeenCalledWith(LESSON_ID, 'chat-4.pdf', new Uint8Array(1), '作业.pdf')
    await h['duet:library:delete'](LESSON_ID)
    expect(d.library.remove).toHaveBeenCalledWith(LESSON_ID)
    await h['duet:library:export']({ id: LESSON_ID, file: 'recording.webm', format: 'mp4' })
    expect(d.library.export).toHaveBeenCalledWith({ id: LESSON_ID, file: 'recording.webm', format: 'mp4' })
  })
})
