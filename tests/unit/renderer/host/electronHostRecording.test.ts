import { describe, expect, it } from 'vitest'
import { ElectronHost } from '../../../../src/renderer/host/ElectronHost'
import { WebHost } from '../../../../src/renderer/host/WebHost'
import type { DuetBridge } from '../../../../src/shared/ipc'
import { LESSON_ID, meta } from '../../shared/recording/helpers'
import { fakeRecordingBridge } from '../../electron/main/services/recordingFakes'

describe('ElectronHost recording and library', () => {
  it('maps each method onto its bridge call', async () => {
    const bridge = fakeRecordingBridge()
    const host = new ElectronHost(bridge as unknown as DuetBridge)
    expect(host.recording.storage).toBe('local')
    await host.recording.open({ lessonId: LESSON_ID, mimeType: 'video/webm', startedAt: 1, meta: meta() })
    expect(bridge.recording.open).toHaveBeenCalledWith(expect.objectContaining({ lessonId: LESSON_ID }))
    const chunk = new Uint8Array([1, 2, 3])
    await host.recording.write('rec-00000001', 7, chunk)
    expect(bridge.recording.write).toHaveBeenCalledWith({ recordingId: 'rec-00000001', seq: 7, data: chunk })
    await host.recording.thumbnail('rec-00000001', chunk)
    expect(bridge.recording.thumbnail).toHaveBeenCalledWith({ recordingId: 'rec-00000001', data: chunk })
    await host.library.addMarker(LESSON_ID, { at: 1, kind: 'page', label: '2' })
    expect(bridge.library.addMarker).toHaveBeenCalledWith({ lessonId: LESSON_ID, marker: { at: 1, kind: 'page', label: '2' } })
    await host.library.export(LESSON_ID, 'recording.webm', 'mp4')
    expect(bridge.library.export).toHaveBeenCalledWith({ id: LESSON_ID, file: 'recording.webm', format: 'mp4' })
    await host.library.rename(LESSON_ID, 'Algebra')
    expect(bridge.library.rename).toHaveBeenCalledWith({ lessonId: LESSON_ID, title: 'Algebra' })
    expect(host.library.fileUrl(LESSON_ID, 'recording.jpg')).toBe(`app://duet/_library/${LESSON_ID}/recording.jpg`)
  })

  it('a browser has no local library: recordings go to the server instead', async () => {
    const store = new Map<string, string>()
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as Storage
    const host = new WebHost(storage, 'http://127.0.0.1:47300')
    expect(host.recording.storage).toBe('server')
    await expect(host.recording.open({ lessonId: LESSON_ID, mimeType: 'video/webm', startedAt: 1, meta: meta() })).rejects.toThrow(/session server/)
    await expect(host.library.list()).resolves.toEqual([])
    await expect(host.library.saveMeta(meta())).resolves.toBeUndefined()
  })
})
