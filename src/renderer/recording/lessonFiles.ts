import type { LessonExtraFile, LessonMarker } from '../../shared/recording/library'
import type { LessonRecordSink } from './sink'

/** What a feature makes for the lesson record: the file, and moments for the timeline found in it. */
export interface LessonFileOutput {
  data: Uint8Array
  /** What a chat file's sender called it (the record lists it under that name). */
  label?: string
  markers?: LessonMarker[]
}

export interface LessonFileJob {
  /** Changes whenever the content does: an unchanged file is not made and sent again. */
  version: string
  make(): Promise<LessonFileOutput | null>
}

/**
 * A feature's part of the lesson record (the whiteboard's PDF, the AI
 * conversation). It is asked synchronously, when the record is saved, so it
 * can take a snapshot of state that is about to go away (the room closing);
 * null when there is nothing worth keeping.
 */
export type LessonFileSource = () => LessonFileJob | null | Promise<LessonFileJob | null>

type Started = [LessonExtraFile, Promise<LessonFileJob | null>]

/**
 * The lesson's files beyond the recording. The tutor's app saves them when a
 * recording stops and when it leaves or ends the lesson, through the same
 * record sink as markers (desktop: IPC to its library; browser: the session
 * server), each only when it changed since the last save.
 */
export class LessonFiles {
  private readonly sources = new Map<LessonExtraFile, LessonFileSource>()
  private readonly saved = new Map<LessonExtraFile, string>()

  provide(name: LessonExtraFile, source: LessonFileSource | null): void {
    if (source) this.sources.set(name, source)
    else this.sources.delete(name)
  }

  /** Asks every source now (snapshots are taken before this returns). */
  start(): Started[] {
    return [...this.sources].map(([name, source]): Started => {
      try {
        return [name, Promise.resolve(source()).catch(failed(name))]
      } catch (error) {
        return [name, Promise.resolve(failed(name)(error))]
      }
    })
  }

  /** Makes and stores what changed; one file failing does not stop the others. Returns the names saved. */
  async save(started: Started[], record: LessonRecordSink): Promise<LessonExtraFile[]> {
    const done: LessonExtraFile[] = []
    for (const [name, pending] of started) {
      const job = await pending
      if (!job || this.saved.get(name) === job.version) continue
      try {
        const output = await job.make()
        if (!output) continue
        await record.addFile(name, output.data, output.label)
        for (const marker of output.markers ?? []) await record.addMarker(marker)
        this.saved.set(name, job.version)
        done.push(name)
      } catch (error) {
        console.warn(`[duet] ${name} not saved with the lesson`, error)
      }
    }
    return done
  }

  /** A new lesson: nothing of it has been saved yet. */
  reset(): void {
    this.saved.clear()
  }
}

function failed(name: string) {
  return (error: unknown): null => {
    console.warn(`[duet] ${name} could not be prepared`, error)
    return null
  }
}
