import { describe, expect, it, vi } from 'vitest'
import { nodeRecordingFs } from '../../../../src/node/recordingFs'
import type { ChatFile } from '../../../../src/shared/chat/files'
import { chatRecordFile } from '../../../../src/shared/chat/transcript'
import { LibraryFileRequestSchema } from '../../../../src/shared/recording/ipcSchemas'
import { chatFileName, LessonExtraFileSchema, LibraryEntrySchema, MAX_CHAT_RECORD_FILES, type LessonRecord } from '../../../../src/shared/recording/library'
import { scanLibrary } from '../../../../src/shared/recording/libraryScan'
import { LessonRecordLimitError, LessonRecordStore } from '../../../../src/shared/recording/lessonRecordStore'
import { LessonFiles } from '../../../../src/renderer/recording/lessonFiles'
import { exportName } from '../../../../electron/main/services/LibraryService'
import { LESSON_ID, meta, tempDirs } from './helpers'

const tempDir = tempDirs()
const bytes = (text: string) => new TextEncoder().encode(text)
const chatFile = (mime: ChatFile['mime'], name: string): ChatFile => ({ id: 'a'.repeat(64), name, mime, kind: mime.startsWith('image/') ? 'image' : 'document', bytes: 3 })

async function storeWithLesson(): Promise<LessonRecordStore> {
  const store = new LessonRecordStore({ fs: nodeRecordingFs, root: tempDir(), now: () => 1 })
  await store.saveMeta(meta())
  return store
}

describe('files from the chat in the lesson record', () => {
  it('are named by the message number and the type the server found, never by what the sender typed', () => {
    expect(chatRecordFile(12, chatFile('application/pdf', '../../etc/passwd'))).toBe('chat-12.pdf')
    expect(chatRecordFile(3, chatFile('image/jpeg', 'photo.jpeg'))).toBe('chat-3.jpg')
    expect(chatRecordFile(7, chatFile('application/x-cfb', 'marks.xls'))).toBe('chat-7.doc')
    for (const good of ['chat-1.png', 'chat-999999.docx', 'chat-40.doc']) expect(LessonExtraFileSchema.safeParse(good).success, good).toBe(true)
    for (const bad of ['chat-0.pdf', 'chat-01.pdf', 'chat-1.exe', 'chat-1.html', 'CHAT-1.PDF', '../chat-1.pdf', 'chat-1.pdf/x', 'chat-1234567.pdf', 'chat-.pdf', 'lesson.json']) {
      expect(LessonExtraFileSchema.safeParse(bad).success, bad).toBe(false)
    }
    // The desktop app's IPC refuses a name out of bounds before anything is written.
    const request = { lessonId: LESSON_ID, name: 'chat-2.pdf', data: bytes('%PDF-') }
    expect(LibraryFileRequestSchema.safeParse({ ...request, label: 'homework.pdf' }).success).toBe(true)
    expect(LibraryFileRequestSchema.safeParse({ ...request, label: 'x'.repeat(121) }).success).toBe(false)
    expect(LibraryFileRequestSchema.safeParse({ ...request, label: '   ' }).success).toBe(false)
  })

  it('are kept with the name their sender gave them, listed in the order they were sent, and survive the lesson being saved again', async () => {
    const store = await storeWithLesson()
    await store.addFile(LESSON_ID, 'chat.md', bytes('# Chat'))
    await store.addFile(LESSON_ID, 'chat-12.pdf', bytes('%PDF- worksheet'), '作业 1.pdf')
    await store.addFile(LESSON_ID, 'chat-3.png', bytes('png'), 'graph\u0007.png')
    // Saved again (a second save of the record): one entry, not two.
    await store.addFile(LESSON_ID, 'chat-3.png', bytes('png'), 'graph.png')
    await store.saveMeta(meta({ endedAt: 2, durationMs: 1 }))

    const [entry] = await scanLibrary(store, () => false)
    expect(entry?.extraFiles).toEqual(['chat.md', 'chat-3.png', 'chat-12.pdf'])
    expect(LibraryEntrySchema.safeParse(entry).success).toBe(true)
    expect(entry?.record?.chatFiles).toEqual([
      { file: 'chat-12.pdf', name: '作业 1.pdf' },
      { file: 'chat-3.png', name: 'graph.png' },
    ])
    expect(chatFileName(entry?.record ?? null, 'chat-12.pdf')).toBe('作业 1.pdf')
    expect(new TextDecoder().decode(await nodeRecordingFs.readFile(store.filePath(LESSON_ID, 'chat-12.pdf')))).toBe('%PDF- worksheet')
  })

  it('refuses a chat file without its name, one more than a record keeps, and a name that is not a chat file', async () => {
    const store = await storeWithLesson()
    await expect(store.addFile(LESSON_ID, 'chat-1.pdf', bytes('x'))).rejects.toThrow(/name/)
    await expect(store.addFile(LESSON_ID, 'chat-1.exe' as 'chat-1.pdf', bytes('x'), 'x.exe')).rejects.toThrow(/Not a lesson file/)
    for (let seq = 1; seq <= MAX_CHAT_RECORD_FILES; seq++) await store.addFile(LESSON_ID, `chat-${seq}.png`, bytes('p'), `p${seq}.png`)
    await expect(store.addFile(LESSON_ID, `chat-${MAX_CHAT_RECORD_FILES + 1}.png`, bytes('p'), 'one more.png')).rejects.toBeInstanceOf(LessonRecordLimitError)
    // One already kept may still be saved again.
    await store.addFile(LESSON_ID, 'chat-1.png', bytes('p'), 'p1.png')
    expect((await store.readRecord(LESSON_ID))?.chatFiles).toHaveLength(MAX_CHAT_RECORD_FILES)
  })

  it('download and save under a name that opens in the right program', () => {
    const record = { chatFiles: [
      { file: 'chat-1.jpg', name: 'photo.JPEG' },
      { file: 'chat-2.pdf', name: 'notes' },
      { file: 'chat-3.doc', name: 'marks.xls' },
      { file: 'chat-4.pdf', name: 'a/b:c?.pdf' },
    ] } as unknown as LessonRecord
    expect(chatFileName(record, 'chat-1.jpg')).toBe('photo.JPEG')
    expect(chatFileName(record, 'chat-2.pdf')).toBe('notes.pdf')
    expect(chatFileName(record, 'chat-3.doc')).toBe('marks.xls')
    expect(chatFileName(record, 'chat-9.pdf')).toBeNull()
    expect(chatFileName(record, 'board.pdf')).toBeNull()
    // The desktop app's save dialog offers the sender's name, made safe for the file system.
    const entry = { id: LESSON_ID, record, damaged: null, recordings: [], extraFiles: [], markers: [], sizeBytes: 0 }
    expect(exportName(entry, 'chat-4.pdf', 'pdf')).toBe('a_b_c_.pdf')
    expect(exportName(entry, 'chat-2.pdf', 'pdf')).toBe('notes.pdf')
  })

  it('reach the record with their names through the lesson files', async () => {
    const files = new LessonFiles()
    files.provide('chat-5.pdf', () => ({ version: 'sha', make: async () => ({ data: bytes('%PDF-'), label: 'worksheet.pdf' }) }))
    const addFile = vi.fn(async () => {})
    expect(await files.save(files.start(), { addFile, addMarker: async () => {} })).toEqual(['chat-5.pdf'])
    expect(addFile).toHaveBeenCalledWith('chat-5.pdf', bytes('%PDF-'), 'worksheet.pdf')
    // The bytes behind a chat file never change: it is sent once.
    expect(await files.save(files.start(), { addFile, addMarker: async () => {} })).toEqual([])
  })
})
