import type { Role } from '../../shared/lesson/lesson'
import {
  recordingOff,
  type RecordingPolicy,
  type RecordingRefusal,
  type RecordingState,
  type RecordingStorage,
} from '../../shared/recording/state'
import type { Logger } from '../logger'
import type { SavedRooms } from './savedRooms'

export interface RecordingRoomsOptions {
  policy: RecordingPolicy
  /** The server has a data directory, so browsers can upload recordings. */
  serverStorage: boolean
  now: () => number
  /**
   * The recorder (the tutor's app) may be gone this long (reload, network)
   * before recording is switched off for the student too.
   */
  recorderGraceMs: number
  /** Recording changed: tell both people. */
  onChange(lessonId: string, state: RecordingState): void
  /** Recording went off because the recorder did not come back: finish its upload. */
  onRecorderLost(lessonId: string): void
  logger: Logger
  /** Where the lessons being recorded outlive a restart of the server (none: memory only). */
  saved?: SavedRooms
}

/**
 * The authority on whether each lesson is being recorded. Only the tutor may
 * switch it, within the server's policy; both sides render this state.
 */
export class RecordingRooms {
  private readonly states = new Map<string, RecordingState>()
  private readonly graceTimers = new Map<string, NodeJS.Timeout>()

  constructor(private readonly opts: RecordingRoomsOptions) {}

  get policy(): RecordingPolicy {
    return this.opts.policy
  }

  state(lessonId: string): RecordingState {
    return this.states.get(lessonId) ?? recordingOff(this.opts.policy, this.opts.serverStorage)
  }

  /** A `recording` message. The answer is either the new state (broadcast) or a refusal for the asker alone. */
  request(lessonId: string, role: Role, on: boolean, storage: RecordingStorage, failed = false): { ok: true } | { ok: false; reason: RecordingRefusal } {
    const { policy } = this.opts
    if (role !== 'tutor') return { ok: false, reason: 'not-tutor' }
    if (on && policy === 'forbidden') return { ok: false, reason: 'forbidden' }
    // Under `always` only a recorder that cannot record (full disk) switches it off: the student must not see "Recording" when nothing is.
    if (!on && policy === 'always' && !failed) return { ok: false, reason: 'always-on' }
    if (on && storage === 'server' && !this.opts.serverStorage) return { ok: false, reason: 'no-storage' }
    const current = this.state(lessonId)
    if (current.on === on) {
      this.opts.onChange(lessonId, current) // repeat it to both: cheap, and the asker hears back
      return { ok: true }
    }
    this.set(lessonId, on ? { ...current, on: true, startedAt: this.opts.now(), by: policy === 'always' ? 'policy' : 'tutor' } : recordingOff(policy, this.opts.serverStorage))
    return { ok: true }
  }

  /**
   * At start: the lessons that were being recorded when the server stopped
   * (a crash, a restart) are recorded on. Both people were told "recording"
   * and nobody said stop, so it is on again when they reconnect: the desktop
   * app never stopped recording to its own disk, a browser tutor's app goes
   * on in a new part (the server finished the cut-off part at start). As
   * after any drop, the tutor's app has `recorderGraceMs` to come back, or
   * recording goes off. Lessons that ended meanwhile, or that the server's
   * policy now forbids recording, stay off.
   */
  restore(isRunning: (lessonId: string) => boolean): void {
    for (const [lessonId, saved] of this.opts.saved?.load() ?? []) {
      if (!saved.on || this.opts.policy === 'forbidden' || !isRunning(lessonId)) continue
      this.states.set(lessonId, { ...saved, policy: this.opts.policy, serverStorage: this.opts.serverStorage })
      this.opts.logger.info('Recording resumed after a restart; waiting for the tutor’s app', { lessonId })
      this.recorderAway(lessonId)
    }
    this.persist()
  }

  /** The tutor's socket dropped: their app may still be recording; give it time to come back. */
  recorderAway(lessonId: string): void {
    if (!this.state(lessonId).on || this.graceTimers.has(lessonId)) return
    const timer = setTimeout(() => {
      this.graceTimers.delete(lessonId)
      if (!this.state(lessonId).on) return
      this.opts.logger.warn('Recording switched off: the recorder did not come back', { lessonId })
      this.set(lessonId, recordingOff(this.opts.policy, this.opts.serverStorage))
      this.opts.onRecorderLost(lessonId)
    }, this.opts.recorderGraceMs)
    timer.unref()
    this.graceTimers.set(lessonId, timer)
  }

  /** The tutor is back (same app after a network blip, or a reloaded page that resumes recording). */
  recorderBack(lessonId: string): void {
    this.clearTimer(lessonId)
  }

  /** The tutor pressed Leave: nobody records any more. */
  recorderLeft(lessonId: string): void {
    this.clearTimer(lessonId)
    if (this.state(lessonId).on) this.set(lessonId, recordingOff(this.opts.policy, this.opts.serverStorage))
  }

  lessonEnded(lessonId: string): void {
    this.clearTimer(lessonId)
    if (this.states.delete(lessonId)) this.persist()
  }

  close(): void {
    for (const timer of this.graceTimers.values()) clearTimeout(timer)
    this.graceTimers.clear()
  }

  private set(lessonId: string, state: RecordingState): void {
    if (state.on) this.states.set(lessonId, state)
    else this.states.delete(lessonId)
    this.persist()
    this.opts.logger.info(state.on ? 'Recording on' : 'Recording off', { lessonId, by: state.by })
    this.opts.onChange(lessonId, state)
  }

  private persist(): void {
    try {
      this.opts.saved?.save(this.states)
    } catch (err) {
      // Recording goes on; only a restart would not know of it.
      this.opts.logger.error('Could not save the recording states', { error: String(err) })
    }
  }

  private clearTimer(lessonId: string): void {
    const timer = this.graceTimers.get(lessonId)
    if (timer) clearTimeout(timer)
    this.graceTimers.delete(lessonId)
  }
}
