import { randomUUID } from 'node:crypto'
import { copyFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { nodeRecordingFs } from '../../../src/node/recordingFs'
import { openServedFile } from '../../../src/node/servedFile'
import { exportMp4 } from '../../../src/shared/recording/exportFile'
import { LessonRecordStore } from '../../../src/shared/recording/lessonRecordStore'
import { RecordingManager } from '../../../src/shared/recording/manager'
import type { Logger } from '../../../src/shared/logger'
import { createLibraryMediaResponder } from '../protocol/libraryMedia'
import { LibraryService } from '../services/LibraryService'
import { RecordingService } from '../services/RecordingService'

export interface RecordingWiringDeps {
  /** The lesson library folder: <userData>/library, or the school's RecordingFolder (resolveLibraryRoot). */
  libraryRoot: string
  logger: Logger
  showItemInFolder(path: string): void
  chooseSavePath(defaultName: string, extension: string): Promise<string | null>
}

/** Builds the recording and library services on the real disk (kept out of index.ts, which only wires). */
export function createRecording(deps: RecordingWiringDeps) {
  const store = new LessonRecordStore({ fs: nodeRecordingFs, root: deps.libraryRoot, now: Date.now })
  const manager = new RecordingManager({ store, now: Date.now, newId: randomUUID, logger: deps.logger })
  const recording = new RecordingService({ manager, logger: deps.logger })
  const library = new LibraryService({
    store,
    isRecording: (lessonId, file) => (file === undefined ? manager.recordingIds(lessonId).length > 0 : manager.isRecording(lessonId, file)),
    showItemInFolder: deps.showItemInFolder,
    chooseSavePath: deps.chooseSavePath,
    copyFile: (from, to) => copyFile(from, to),
    exportMp4: (from, to) => exportMp4(nodeRecordingFs, from, to),
    logger: deps.logger,
  })
  const media = createLibraryMediaResponder({
    mediaPath: (id, file) => library.mediaPath(id, file),
    openFile: async (path) => {
      const served = await openServedFile(path)
      if (!served) return null
      const { handle, version } = served
      return {
        version,
        stream: (start, end) => Readable.toWeb(handle.createReadStream({ start, end })) as ReadableStream<Uint8Array>,
        close: () => handle.close(),
      }
    },
    logger: deps.logger,
  })
  return { recording, library, media }
}
