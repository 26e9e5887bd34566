import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nodeRecordingFs } from '../../../../src/node/recordingFs'
import type { LessonRecord } from '../../../../src/shared/recording/library'
import { scanLibrary } from '../../../../src/shared/recording/libraryScan'
import { LessonRecordStore } from '../../../../src/shared/recording/lessonRecordStore'
import { LESSON_ID, fixture, meta, tempDirs } from './helpers'

const tempDir = tempDirs()
const OTHER = '0a0b0c0d-1111-4222-8333-444455556666'
const THIRD = '9e9e9e9e-1111-4222-8333-444455556666'

function record(lessonId: string, overrides: Partial<LessonRecord> = {}): LessonRecord {
  return {
    version: 1,
    lessonId,
    title: null,
    role: 'tutor',
    tutorName: 'Ms Li',
    studentName: 'Wei',
    server: 'http://127.0.0.1:47300',
    createdAt: 1_700_000_000_000,
    startedAt: 1_700_000_000_000,
    endedAt: 1_700_000_600_000,
    durationMs: 600_000,
    recordings: [{ file: 'recording.webm', startedAt: 1_700_000_001_000, durationMs: 4000, status: 'ready', problem: null, mimeType: 'video/webm', thumbnail: null }],
    ...overrides,
  }
}

function lessonFolder(root: string, id: string, files: Record<string, string | Uint8Array>): void {
  mkdirSync(join(root, id), { recursive: true })
  for (const [name, data] of Object.entries(files)) writeFileSync(join(root, id, name), data)
}

describe('scanLibrary', () => {
  it('lists good lessons with their recording, files, markers and size', async () => {
    const root = tempDir()
    const store = new LessonRecordStore({ fs: nodeRecordingFs, root, now: () => 0 })
    const webm = fixture('vp9-4s').bytes
    lessonFolder(root, LESSON_ID, {
      'lesson.json': JSON.stringify(record(LESSON_ID)),
      'recording.webm': webm,
      'recording.jpg': new Uint8Array([0xff, 0xd8]),
      'board.pdf': '%PDF-1.4',
      'events.jsonl': '{"at":1700000002000,"kind":"screen-share-start","label":""}\n{"at":1700000001000,"kind":"recording-start","label":"recording.webm"}\n{"at":17000',
    })
    const [entry] = await scanLibrary(store, () => false)
    expect(entry).toMatchObject({ id: LESSON_ID, damaged: null, extraFiles: ['board.pdf'] })
    expect(entry?.recordings).toEqual([expect.objectContaining({ file: 'recording.webm', status: 'ready', thumbnail: 'recording.jpg', sizeBytes: webm.length })])
    // Sorted by time; the torn last line is skipped.
    expect(entry?.markers.map((m) => m.kind)).toEqual(['recording-start', 'screen-share-start'])
    expect(entry?.sizeBytes).toBeGreaterThan(webm.length)
  })

  it('lists damaged lessons with the reason instead of failing', async () => {
    const root = tempDir()
    const store = new LessonRecordStore({ fs: nodeRecordingFs, root, now: () => 0 })
    lessonFolder(root, LESSON_ID, { 'lesson.json': '{"version":1,' })
    lessonFolder(root, OTHER, { 'recording.webm': fixture('vp8-4s').bytes })
    lessonFolder(root, THIRD, { 'lesson.json': JSON.stringify(record(THIRD, { recordings: [
      { file: 'recording.webm', startedAt: 1, durationMs: null, status: 'ready', problem: null, mimeType: 'video/webm', thumbnail: null },
      { file: 'recording-2.webm', startedAt: 2, durationMs: null, status: 'ready', problem: null, mimeType: 'video/webm', thumbnail: null },
      { file: 'recording-3.webm', startedAt: 3, durationMs: null, status: 'ready', problem: null, mimeType: 'video/webm', thumbnail: null },
      { file: 'recording-4.webm', startedAt: 4, durationMs: null, status: 'recording', problem: null, mimeType: 'video/webm', thumbnail: null },
    ] })), 'recording-2.webm': '', 'recording-3.webm': 'GIF89a nope', 'recording-4.webm': fixture('vp8-4s').bytes })
    // Not lesson folders: ignored.
    mkdirSync(join(root, '..weird'), { recursive: true })
    writeFileSync(join(root, 'stray.txt'), 'x')

    const entries = await scanLibrary(store, () => false)
    const byId = new Map(entries.map((e) => [e.id, e]))
    expect(entries).toHaveLength(3)
    expect(byId.get(LESSON_ID)).toMatchObject({ record: null, damaged: { code: 'record-unreadable' } })
    expect(byId.get(OTHER)).toMatchObject({ record: null, damaged: { code: 'record-missing' } })
    // The recording of a lesson without lesson.json is still offered.
    expect(byId.get(OTHER)?.recordings).toEqual([expect.objectContaining({ file: 'recording.webm', status: 'damaged' })])
    expect(byId.get(THIRD)?.recordings.map((r) => r.problem?.code)).toEqual(['file-missing', 'file-empty', 'not-webm', 'unfinished'])
  })

  it('a lesson.json that belongs to another folder or has the wrong shape is damaged', async () => {
    const root = tempDir()
    const store = new LessonRecordStore({ fs: nodeRecordingFs, root, now: () => 0 })
    lessonFolder(root, LESSON_ID, { 'lesson.json': JSON.stringify(record(OTHER)) })
    lessonFolder(root, OTHER, { 'lesson.json': JSON.stringify({ ...record(OTHER), recordings: [{ file: '../../etc/passwd' }] }) })
    const entries = await scanLibrary(store, () => false)
    expect(entries.map((e) => e.damaged?.code)).toEqual(['record-unreadable', 'record-unreadable'])
  })

  it('rename, remove, extra files and markers go through validated ids and names', async () => {
    const root = tempDir()
    const store = new LessonRecordStore({ fs: nodeRecordingFs, root, now: () => 5 })
    await store.saveMeta(meta())
    await store.rename(LESSON_ID, 'Quadratic equations')
    await store.addFile(LESSON_ID, 'ai.md', new TextEncoder().encode('# Questions'))
    await store.addMarker(LESSON_ID, { at: 10, kind: 'page', label: 'Page 2' })
    const [entry] = await scanLibrary(store, () => false)
    expect(entry?.record).toMatchObject({ title: 'Quadratic equations', createdAt: 5, studentName: 'Wei' })
    expect(entry?.extraFiles).toEqual(['ai.md'])
    expect(entry?.markers).toEqual([{ at: 10, kind: 'page', label: 'Page 2' }])
    // Later metadata fills in without losing what was known.
    await store.saveMeta(meta({ studentName: null, endedAt: 99, durationMs: 42 }))
    expect(await store.readRecord(LESSON_ID)).toMatchObject({ studentName: 'Wei', endedAt: 99, title: 'Quadratic equations' })

    expect(() => store.folder('../secret')).toThrow()
    expect(() => store.filePath(LESSON_ID, '../lesson.json')).toThrow()
    expect(() => store.filePath(LESSON_ID, 'lesson.json')).toThrow()
    await expect(store.addFile(LESSON_ID, 'evil.sh' as 'ai.md', new Uint8Array(1))).rejects.toThrow()
    await expect(store.addMarker(LESSON_ID, { at: 1, kind: 'Bad Kind', label: '' })).rejects.toThrow()
    await expect(store.addFile(OTHER, 'ai.md', new Uint8Array(1))).rejects.toThrow(/No such lesson/)

    await store.remove(LESSON_ID)
    expect(await scanLibrary(store, () => false)).toEqual([])
  })
})
