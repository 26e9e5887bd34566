import { chatFileName, type LessonExtraFile, type LessonMarker, type LessonMeta, type LibraryEntry } from '../../../src/shared/recording/library'
import { scanLibrary } from '../../../src/shared/recording/libraryScan'
import type { LessonRecordStore } from '../../../src/shared/recording/lessonRecordStore'
import type { LibraryExportRequest } from '../../../src/shared/recording/ipcSchemas'
import type { Logger } from '../../../src/shared/logger'

export interface LibraryServiceDeps {
  store: LessonRecordStore
  /** Is a recording of this lesson (or this file) being written right now? */
  isRecording(lessonId: string, file?: string): boolean
  /** shell.showItemInFolder */
  showItemInFolder(path: string): void
  /** Save dialog; null when cancelled. */
  chooseSavePath(defaultName: string, extension: string): Promise<string | null>
  copyFile(from: string, to: string): Promise<void>
  exportMp4(from: string, to: string): Promise<void>
  logger: Logger
}

/** A file name people recognise: "2025-03-14 Ms Li - Wei.webm" (a file from the chat: the name its sender gave it), without characters file systems refuse. */
export function exportName(entry: LibraryEntry | undefined, file: string, extension: string): string {
  const record = entry?.record
  const fromChat = chatFileName(record ?? null, file)
  if (fromChat) return fromChat.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_').trim()
  const date = record ? new Date(record.startedAt ?? record.createdAt).toISOString().slice(0, 10) : 'lesson'
  const title = record?.title ?? (record ? [record.tutorName, record.studentName].filter(Boolean).join(' - ') : entry?.id ?? 'lesson')
  const part = /-(\d+)\./.exec(file)?.[1]
  const base = `${date} ${title}${part ? ` (${part})` : ''}`.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_').trim().slice(0, 120)
  return `${base}.${extension}`
}

/**
 * The desktop lesson library (userData/library): list with damaged entries,
 * metadata from the renderer, markers and files from other features, rename,
 * delete, show in folder and export. Ids and file names are validated by the
 * IPC schemas and again by the store before they become paths.
 */
export class LibraryService {
  constructor(private readonly deps: LibraryServiceDeps) {}

  list(): Promise<LibraryEntry[]> {
    return scanLibrary(this.deps.store, (id, file) => this.deps.isRecording(id, file))
  }

  async saveMeta(meta: LessonMeta): Promise<void> {
    await this.deps.store.saveMeta(meta)
  }

  addMarker(lessonId: string, marker: LessonMarker): Promise<void> {
    return this.deps.store.addMarker(lessonId, marker)
  }

  addFile(lessonId: string, name: LessonExtraFile, data: Uint8Array, label?: string): Promise<void> {
    return this.deps.store.addFile(lessonId, name, data, label)
  }

  async rename(lessonId: string, title: string): Promise<void> {
    await this.deps.store.rename(lessonId, title)
  }

  async remove(id: string): Promise<void> {
    if (this.deps.isRecording(id)) throw new Error('This lesson is being recorded; stop the recording first')
    await this.deps.store.remove(id)
    this.deps.logger.info('library: lesson removed', id)
  }

  reveal(id: string): void {
    this.deps.showItemInFolder(this.deps.store.folder(id))
  }

  /** Path of a library file for the app:// media responder (validated, may not exist). */
  mediaPath(id: string, file: string): string {
    return this.deps.store.filePath(id, file)
  }

  async export(request: LibraryExportRequest): Promise<boolean> {
    const { id, file, format } = request
    if (this.deps.isRecording(id, file)) throw new Error('This recording is still being written')
    if (format === 'mp4' && !file.endsWith('.webm')) throw new Error('Only recordings can be exported as MP4')
    const source = this.deps.store.filePath(id, file)
    const entries = await this.list()
    const name = exportName(entries.find((e) => e.id === id), file, format === 'mp4' ? 'mp4' : (file.split('.').pop() ?? 'bin'))
    // The dialog's filter follows the name offered (a chat's marks.xls is kept as chat-3.doc).
    const target = await this.deps.chooseSavePath(name, name.split('.').pop() ?? 'bin')
    if (!target) return false
    if (format === 'mp4') await this.deps.exportMp4(source, target)
    else await this.deps.copyFile(source, target)
    this.deps.logger.info('library: exported', id, file, format)
    return true
  }
}
