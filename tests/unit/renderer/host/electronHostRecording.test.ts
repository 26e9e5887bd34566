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
    expect(host.recordingStorage).toBe('local')
    await host.recordingOpen({ lessonId: LESSON_ID, mimeType: 'video/webm', startedAt: 1, meta: meta() })
    expect(bridge.recordingOpen).toHaveBeenCalledWith(expect.objectContaining({ lessonId: LESSON_ID }))
    const chunk = new Uint8Array([1, 2, 3])
    await host.recordingWrite('rec-00000001', 7, chunk)
    expect(bridge.recordingWrite).toHaveBeenCalledWith({ recordingId: 'rec-00000001', seq: 7, data: chunk })
    await host.recordingThumbnail('rec-00000001', chunk)
    expect(bridge.recordingThumbnail).toHaveBeenCalledWith({ recordingId: 'rec-00000001', data: chunk })
    await host.libraryAddMarker(LESSON_ID, { at: 1, kind: 'page', label: '2' })
    expect(bridge.libraryAddMarker).toHaveBeenCalledWith({ lessonId: LESSON_ID, marker: { at: 1, kind: 'page', label: '2' } })
    await host.libraryExport(LESSON_ID, 'recording.webm', 'mp4')
    expect(bridge.libraryExport).toHaveBeenCalledWith({ id: LESSON_ID, file: 'recording.webm', format: 'mp4' })
    await host.libraryRename(LESSON_ID, 'Algebra')
    expect(bridge.libraryRename).toHaveBeenCalledWith({ lessonId: LESSON_ID, title: 'Algebra' })
    expect(host.libraryFileUrl(LESSON_ID, 'recording.jpg')).toBe(`app://duet/_library/${LESSON_ID}/recording.jpg`)
  })

  it('a browser has no local library: recordings go to the server instead', async () => {
    const store = new Map<string, string>()
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as Storage
    const host = new WebHost(storage, 'http://127.0.0.1:47300')
    expect(host.recordingStorage).toBe('server')
    await expect(host.recordingOpen()).rejects.toThrow(/session server/)
    await expect(host.libraryList()).resolves.toEqual([])
    await expect(host.librarySaveMeta()).resolves.toBeUndefined()
  })
})
