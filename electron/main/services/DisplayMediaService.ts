import type {
  MediaPermissionStatus,
  ScreenPickerAnswer,
  ScreenPickerRequest,
  ScreenSource,
} from '../../../src/shared/screenShare'
import type { AppUrlCheck } from '../appOrigin'
import type { CaptureMode } from '../capture/captureMode'
import { systemAudioSupported } from '../capture/captureMode'
import { PICKER_SOURCE_OPTIONS, toScreenSources, type CapturerSourceLike } from '../capture/screenSources'
import type { Logger } from '../../../src/shared/logger'

/** The fields of Electron's DisplayMediaRequestHandlerHandlerRequest read here. */
export interface DisplayMediaRequestLike {
  securityOrigin: string
  videoRequested: boolean
  audioRequested: boolean
  /** The asking frame belongs to the main window (the only page with a picker). */
  fromMainWindow: boolean
}

/**
 * What the request is answered with. `null` cancels: Electron fails the
 * getDisplayMedia() call quietly. An object without `video` (e.g. `{}`) would
 * make Electron throw "Video was requested, but no video stream was provided"
 * in main, and an `audio: undefined` key throws too, so audio is left out
 * entirely unless it is 'loopback'.
 */
export type GrantedStreams = { video: { id: string; name: string }; audio?: 'loopback' }
export type DisplayMediaCallback = (streams: GrantedStreams | null) => void

export interface SourceQuery {
  types: Array<'screen' | 'window'>
  thumbnailSize: { width: number; height: number }
  fetchWindowIcons?: boolean
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface DisplayMediaDeps {
  /** desktopCapturer.getSources */
  getSources(query: SourceQuery): Promise<CapturerSourceLike[]>
  /** Media source ids of Duet's own windows (main window, sharing bar): never offered. */
  ownMediaSourceIds(): string[]
  /** Sends `screenPicker:request` to the main window; false when there is no live window. */
  sendRequest(request: ScreenPickerRequest): boolean
  isAppUrl: AppUrlCheck
  /** macOS screen-recording status (other systems: 'granted' or 'unknown'). */
  screenStatus(): MediaPermissionStatus
  platform: NodeJS.Platform
  mode: CaptureMode
  newId(): string
  logger: Logger
  timers?: Timers
  timeoutMs?: number
}

/** A picker nobody answers is given up after this long. */
export const PICKER_TIMEOUT_MS = 2 * 60_000
/** Bound on ids remembered across refreshes of one request. */
const MAX_OFFERED = 512

interface Pending {
  id: string
  callback: DisplayMediaCallback
  audioRequested: boolean
  /** Every source shown for this request (id → name), refreshes included. */
  offered: Map<string, string>
  timer: unknown
}

/**
 * Answers getDisplayMedia() through Duet's own picker. One request is open at
 * a time; it ends exactly once: answered, cancelled by the user, replaced by a
 * newer request, timed out, or dropped because the page went away.
 */
export class DisplayMediaService {
  private current: Pending | null = null
  private readonly timers: Timers
  private readonly timeoutMs: number

  constructor(private readonly deps: DisplayMediaDeps) {
    this.timers = deps.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) }
    this.timeoutMs = deps.timeoutMs ?? PICKER_TIMEOUT_MS
  }

  /** The id of the open picker request, if any (for logs and tests). */
  get pendingRequestId(): string | null {
    return this.current?.id ?? null
  }

  /** session.setDisplayMediaRequestHandler's handler. Never throws; every path calls back once. */
  async handleRequest(request: DisplayMediaRequestLike, callback: DisplayMediaCallback): Promise<void> {
    const { logger } = this.deps
    if (!request.videoRequested) return this.refuse(callback, 'no video requested')
    if (!this.deps.isAppUrl(request.securityOrigin)) return this.refuse(callback, `origin ${request.securityOrigin} is not the app`)
    if (!request.fromMainWindow) return this.refuse(callback, 'not asked by the main window')
    const screen = this.deps.screenStatus()
    // Without screen-recording consent macOS hands out black pictures; the renderer explains instead.
    if (screen === 'denied' || screen === 'restricted') return this.refuse(callback, `screen recording is ${screen}`)
    if (this.deps.mode === 'portal') return this.answerFromPortal(callback)

    // A newer request wins: the older picker is stale (the page called getDisplayMedia again).
    this.cancel('replaced by a newer request')
    const pending: Pending = { id: this.deps.newId(), callback, audioRequested: request.audioRequested, offered: new Map(), timer: null }
    this.current = pending
    pending.timer = this.timers.setTimeout(() => this.cancelIfCurrent(pending, 'timed out'), this.timeoutMs)

    let sources: ScreenSource[]
    try {
      sources = await this.listSources()
    } catch (error) {
      logger.error('screen share: listing sources failed:', error)
      return this.cancelIfCurrent(pending, 'sources unavailable')
    }
    if (this.current !== pending) return // cancelled while listing
    this.remember(pending, sources)
    const supported = systemAudioSupported(this.deps.platform)
    const sent = this.deps.sendRequest({
      requestId: pending.id,
      sources,
      systemAudio: { supported: supported && request.audioRequested, reason: supported ? null : 'os-unsupported' },
    })
    if (!sent) this.cancelIfCurrent(pending, 'no window to show the picker')
  }

  /** The renderer's answer. Unknown or stale ids are ignored; a source that was never offered is refused. */
  answer(answer: ScreenPickerAnswer): void {
    const pending = this.current
    if (!pending || pending.id !== answer.requestId) {
      this.deps.logger.warn('screen share: ignored an answer for unknown or finished request', answer.requestId)
      return
    }
    if (!answer.choice) return this.finish(pending, null, 'cancelled by the user')
    const name = pending.offered.get(answer.choice.sourceId)
    if (name === undefined) {
      this.deps.logger.warn('screen share: refused a source that was not offered:', answer.choice.sourceId)
      throw new Error('That screen or window was not offered; choose one from the list')
    }
    const streams: GrantedStreams = { video: { id: answer.choice.sourceId, name } }
    if (answer.choice.withAudio && pending.audioRequested && systemAudioSupported(this.deps.platform)) streams.audio = 'loopback'
    this.finish(pending, streams, 'source chosen')
  }

  /** Fresh sources (live thumbnails) for the open picker. */
  async refresh(requestId: string): Promise<ScreenSource[]> {
    const pending = this.current
    if (!pending || pending.id !== requestId) throw new Error('No open screen picker with that id')
    const sources = await this.listSources()
    if (this.current !== pending) throw new Error('The screen picker was closed')
    this.remember(pending, sources)
    return sources
  }

  /** The page reloaded, crashed or its window closed: nobody can answer any more. */
  rendererGone(): void {
    this.cancel('the page went away')
  }

  dispose(): void {
    this.cancel('shutting down')
  }

  private async answerFromPortal(callback: DisplayMediaCallback): Promise<void> {
    try {
      // On Wayland this opens the system picker and resolves with the one source chosen (none if cancelled).
      const [chosen] = await this.deps.getSources({ types: ['screen', 'window'], thumbnailSize: { width: 0, height: 0 } })
      if (!chosen) return this.refuse(callback, 'cancelled in the system picker')
      this.call(callback, { video: { id: chosen.id, name: chosen.name } })
    } catch (error) {
      this.deps.logger.error('screen share: system picker failed:', error)
      this.call(callback, null)
    }
  }

  private async listSources(): Promise<ScreenSource[]> {
    const raw = await this.deps.getSources(PICKER_SOURCE_OPTIONS)
    return toScreenSources(raw, this.deps.ownMediaSourceIds())
  }

  private remember(pending: Pending, sources: readonly ScreenSource[]): void {
    for (const s of sources) {
      if (pending.offered.size >= MAX_OFFERED && !pending.offered.has(s.id)) break
      pending.offered.set(s.id, s.name)
    }
  }

  private cancel(why: string): void {
    if (this.current) this.finish(this.current, null, why)
  }

  private cancelIfCurrent(pending: Pending, why: string): void {
    if (this.current === pending) this.finish(pending, null, why)
  }

  private finish(pending: Pending, streams: GrantedStreams | null, why: string): void {
    this.timers.clearTimeout(pending.timer)
    if (this.current === pending) this.current = null
    this.deps.logger.info('screen share: request', pending.id, streams ? 'answered' : 'cancelled', `(${why})`)
    this.call(pending.callback, streams)
  }

  private refuse(callback: DisplayMediaCallback, why: string): void {
    this.deps.logger.warn('screen share: request refused:', why)
    this.call(callback, null)
  }

  private call(callback: DisplayMediaCallback, streams: GrantedStreams | null): void {
    try {
      callback(streams)
    } catch (error) {
      // Electron throws here when the request is already gone (frame destroyed).
      this.deps.logger.error('screen share: answering the request failed:', error)
    }
  }
}
