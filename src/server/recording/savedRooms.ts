import { z } from 'zod'
import { readJsonFile, writeFileAtomic } from '../../node/files'
import { LessonIdSchema } from '../../shared/recording/library'
import { RecordingStateSchema, type RecordingState } from '../../shared/recording/state'
import type { Logger } from '../logger'

/**
 * The lessons being recorded, kept on disk so a restarted session server
 * knows which lessons the tutor's app was recording (and the student was
 * told about): `<dataDir>/recordings/rooms.json`, rewritten atomically on
 * each change (a tutor pressing Record or Stop: rare).
 */
export interface SavedRooms {
  load(): Map<string, RecordingState>
  save(states: ReadonlyMap<string, RecordingState>): void
}

const SavedRoomsSchema = z.record(LessonIdSchema, RecordingStateSchema)

export function fileSavedRooms(file: string, logger: Logger): SavedRooms {
  return {
    // A damaged file is moved aside and costs only the resumption: recording is off after this restart.
    load: () => new Map(Object.entries(readJsonFile(file, SavedRoomsSchema, logger) ?? {})),
    save: (states) => writeFileAtomic(file, JSON.stringify(Object.fromEntries(states))),
  }
}
