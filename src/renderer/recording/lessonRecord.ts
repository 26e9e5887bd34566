import type { LessonExtraFile, LessonMeta } from '../../shared/recording/library'
import { useHost } from '../host/current'
import type { LessonPass } from '../lesson/LessonPass'
import { HostLessonRecord } from './hostSink'
import { lessonAiSource } from './lessonAiFile'
import { LessonFiles, type LessonFileSource } from './lessonFiles'
import { ServerLessonRecord } from './serverSink'
import type { LessonRecordSink } from './sink'
import { rememberLessonKey } from './webLibraryKeys'

/**
 * The lesson's record beside the recording, one lesson at a time: the
 * features' files (board PDF, AI conversation, chat), timeline markers, the
 * desktop library's entry and, in a browser, the key that finds the
 * server's record later. The recording store decides when; this keeps how
 * and where (the desktop library over IPC, or the session server).
 */
export class LessonRecord {
  private readonly files = new LessonFiles()
  private sink: LessonRecordSink | null = null
  private pass: LessonPass | null = null
  /** One save at a time, in order: a later save finds what an earlier one stored and skips unchanged files. */
  private saving: Promise<void> = Promise.resolve()
  /** Browsers: the key to the server's record of this lesson is kept (once per lesson). */
  private keyFor: string | null = null

  open(pass: LessonPass): void {
    const host = useHost()
    this.pass = pass
    this.sink = host.recording.storage === 'local' ? new HostLessonRecord(host, pass.lessonId) : new ServerLessonRecord(pass.server, pass.token, pass.lessonId)
    this.files.reset()
    this.files.provide('ai.md', pass.role === 'tutor' ? lessonAiSource(pass) : null)
  }

  /** `serverStores`: the session server keeps lesson records (it has a data folder). */
  rememberKey(serverStores: boolean): void {
    const pass = this.pass
    if (!pass || useHost().recording.storage !== 'server' || !serverStores || this.keyFor === pass.lessonId) return
    this.keyFor = pass.lessonId
    void rememberLessonKey(pass.server, pass.token).catch((error: unknown) => console.warn('[duet] library key not saved', error))
  }

  /** Asks the features for their files now (synchronously, so snapshots are current); nothing when `mayStore` is false. */
  startFiles(mayStore: boolean): ReturnType<LessonFiles['start']> {
    if (!mayStore || !this.sink) return []
    return this.files.start()
  }

  /** Makes and stores what changed since the last save; a browser tutor's unrecorded lesson gets its record (and key) here. */
  saveFiles(started: ReturnType<LessonFiles['start']>, serverStores: boolean): Promise<void> {
    const sink = this.sink
    if (started.length === 0 || !sink) return Promise.resolve()
    const run = this.saving.then(async () => {
      const saved = await this.files.save(started, sink)
      if (saved.length > 0) this.rememberKey(serverStores)
    })
    this.saving = run.catch((error: unknown) => console.warn('[duet] lesson files', error))
    return this.saving
  }

  /** A moment on the recording's timeline (page change, AI question). */
  addMarker(kind: string, label: string): void {
    void this.sink?.addMarker({ at: Date.now(), kind, label: label.slice(0, 200) }).catch((error: unknown) => console.warn('[duet] marker not saved', error))
  }

  /** The whiteboard's PDF, the AI conversation, the chat, stored now. */
  addFile(name: LessonExtraFile, data: Uint8Array, label?: string): Promise<void> {
    if (!this.sink) return Promise.reject(new Error('Not in a lesson'))
    return this.sink.addFile(name, data, label)
  }

  /** A feature's file for the record, made when the record is saved; null to withdraw it. */
  provide(name: LessonExtraFile, source: LessonFileSource | null): void {
    this.files.provide(name, source)
  }

  /** The desktop library's entry for this lesson (people, times, title). */
  async saveMeta(meta: LessonMeta): Promise<void> {
    await useHost()
      .library.saveMeta(meta)
      .catch((error: unknown) => console.warn('[duet] lesson record not saved', error))
  }
}
