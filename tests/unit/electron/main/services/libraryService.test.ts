import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { LibraryService, exportName } from '../../../../../electron/main/services/LibraryService'
import { nodeRecordingFs } from '../../../../../src/node/recordingFs'
import { exportMp4 } from '../../../../../src/shared/recording/exportFile'
import { LessonRecordStore } from '../../../../../src/shared/recording/lessonRecordStore'
import { LESSON_ID, fixture, meta, tempDirs } from '../../../shared/recording/helpers'
import { fakeLogger } from '../../fakes'

const tempDir = tempDirs()

async function setup(opts: { recording?: boolean; savePath?: string | null } = {}) {
  const root = join(tempDir(), 'library')
  const store = new LessonRecordStore({ fs: nodeRecordingFs, root, now: () => Date.UTC(2025, 2, 14) })
  await store.saveMeta(meta({ startedAt: Date.UTC(2025, 2, 14, 9) }))
  await store.update(LESSON_ID, (r) => ({ ...r!, recordings: [{ file: 'recording.webm', startedAt: 1, durationMs: 4000, status: 'ready', problem: null, mimeType: 'video/webm', thumbnail: null }] }))
  writeFileSync(join(root, LESSON_ID, 'recording.webm'), fixture('vp9-4s').bytes)
  const deps = {
    store,
    isRecording: vi.fn(() => opts.recording ?? false),
    showItemInFolder: vi.fn(),
    chooseSavePath: vi.fn(async () => (opts.savePath === undefined ? join(tempDir(), 'out.webm') : opts.savePath)),
    copyFile: vi.fn(async (from: string, to: string) => writeFileSync(to, readFileSync(from))),
    exportMp4: vi.fn((from: string, to: string) => exportMp4(nodeRecordingFs, from, to)),
    logger: fakeLogger(),
  }
  return { root, store, deps, library: new LibraryService(deps) }
}

describe('LibraryService (desktop)', () => {
  it('lists lessons, including a damaged folder that can then be removed', async () => {
    const { root, library } = await setup()
    mkdirSync(join(root, 'c0ffee00-0000-4000-8000-000000000000'))
    writeFileSync(join(root, 'c0ffee00-0000-4000-8000-000000000000', 'lesson.json'), '{ broken')
    const entries = await library.list()
    expect(entries.map((e) => e.damaged?.code ?? 'ok').sort()).toEqual(['ok', 'record-unreadable'])
    await library.remove('c0ffee00-0000-4000-8000-000000000000')
    expect(await library.list()).toHaveLength(1)
  })

  it('refuses to delete or export a lesson while it is being recorded', async () => {
    const { library } = await setup({ recording: true })
    await expect(library.remove(LESSON_ID)).rejects.toThrow(/being recorded/)
    await expect(library.export({ id: LESSON_ID, file: 'recording.webm', format: 'original' })).rejects.toThrow(/still being written/)
  })

  it('exports the original or an MP4 to the path the user chose; cancel does nothing', async () => {
    const { deps, library } = await setup()
    expect(await library.export({ id: LESSON_ID, file: 'recording.webm', format: 'original' })).toBe(true)
    expect(deps.chooseSavePath).toHaveBeenCalledWith('2025-03-14 Ms Li - Wei.webm', 'webm')
    expect(deps.copyFile).toHaveBeenCalled()

    const mp4 = join(tempDir(), 'lesson.mp4')
    deps.chooseSavePath.mockResolvedValueOnce(mp4)
    expect(await library.export({ id: LESSON_ID, file: 'recording.webm', format: 'mp4' })).toBe(true)
    const head = readFileSync(mp4).subarray(4, 8).toString('latin1')
    expect(head).toBe('ftyp')

    deps.chooseSavePath.mockResolvedValueOnce(null)
    expect(await library.export({ id: LESSON_ID, file: 'recording.webm', format: 'original' })).toBe(false)
    await expect(library.export({ id: LESSON_ID, file: 'board.pdf', format: 'mp4' })).rejects.toThrow(/MP4/)
  })

  it('saves a file from the chat under the name its sender gave it, through the IPC the renderer uses', async () => {
    const { deps, library } = await setup()
    await library.addFile(LESSON_ID, 'chat-3.doc', new TextEncoder().encode('cfb'), 'marks.xls')
    const target = join(tempDir(), 'marks.xls')
    deps.chooseSavePath.mockResolvedValueOnce(target)
    expect(await library.export({ id: LESSON_ID, file: 'chat-3.doc', format: 'original' })).toBe(true)
    expect(deps.chooseSavePath).toHaveBeenCalledWith('marks.xls', 'xls')
    expect(readFileSync(target, 'utf8')).toBe('cfb')
    expect((await library.list())[0]?.extraFiles).toContain('chat-3.doc')
  })

  it('shows the lesson folder and renames', async () => {
    const { root, deps, library } = await setup()
    library.reveal(LESSON_ID)
    expect(deps.showItemInFolder).toHaveBeenCalledWith(join(root, LESSON_ID))
    await library.rename(LESSON_ID, 'Fractions')
    expect((await library.list())[0]?.record?.title).toBe('Fractions')
    expect(() => library.reveal('../..')).toThrow()
  })

  it('makes export names safe for every file system', () => {
    const entry = { id: LESSON_ID, record: { ...meta(), version: 1 as const, title: 'a/b:c*?"<>|', createdAt: 0, startedAt: Date.UTC(2025, 0, 2), recordings: [] }, damaged: null, recordings: [], extraFiles: [], markers: [], sizeBytes: 0 }
    expect(exportName(entry, 'recording-2.webm', 'mp4')).toBe('2025-01-02 a_b_c_.mp4'.replace('.mp4', ' (2).mp4'))
    expect(exportName(undefined, 'recording.webm', 'webm')).toBe('lesson lesson.webm')
  })
})
