import type { UpdateChannel, UpdateMode } from '../../../src/shared/settings'
import { insideInstallWindow, type UpdateErrorCode, type UpdatePhase, type UpdateStatus } from '../../../src/shared/update'
import type { Logger } from '../../../src/shared/logger'
import type { Timers } from '../timers'

/** What electron-updater reports about a release (UpdateInfo, the fields used here). */
export interface ReleaseInfo {
  version: string
  releaseNotes?: string | readonly { version: string; note: string | null }[] | null
  releaseDate?: string | null
}

/**
 * The slice of electron-updater's AppUpdater this service drives (its
 * public API). index.ts passes `autoUpdater`; tests pass a real
 * AppImageUpdater talking to a feed they serve.
 */
export interface UpdaterLike {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  channel: string | null
  logger: Logger | null
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string | null }): void
  isUpdaterActive(): boolean
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: ReleaseInfo } | null>
  downloadUpdate(): Promise<string[]>
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown
}

export interface UpdateConfig {
  mode: UpdateMode
  channel: UpdateChannel
  /** The school's mirror (policy UpdateFeedUrl) or the project's feed. */
  feedUrl: string
  /** "18:00-07:00" or null. */
  installWindow: string | null
  /** Mode, channel or feed come from the school's policy. */
  managedByPolicy: boolean
}

export interface UpdateServiceDeps {
  updater: UpdaterLike
  currentVersion: string
  config(): UpdateConfig
  /**
   * This user can replace the installed app (per-user install, or an admin).
   * false: a per-machine install updates through the school, not here.
   */
  canInstall(): boolean
  publish(status: UpdateStatus): void
  timers: Timers
  now(): Date
  logger: Logger
  /** After start; default 30 s (the app settles first). */
  firstCheckMs?: number
  /** Default 4 h. */
  intervalMs?: number
}

export class UpdateRefusedError extends Error {
  override name = 'UpdateRefusedError'
}

export const UPDATE_CHECK_INTERVAL_MS = 4 * 3_600_000
const FIRST_CHECK_MS = 30_000
const WINDOW_TICK_MS = 60_000
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ERR_UPDATER_TIMEOUT'])
const DISK_CODES = new Set(['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EDQUOT'])

/** electron-updater's failures, sorted into what a person can act on. */
export function classifyUpdateError(error: unknown): { code: UpdateErrorCode; message: string } {
  const code = (error as { code?: unknown } | null)?.code
  const status = (error as { statusCode?: unknown } | null)?.statusCode
  const raw = error instanceof Error ? error.message : String(error)
  // electron-updater appends the whole response ("rawData: <html>…") and stacks; people need the first line.
  const message = raw.split(/, rawData:|\n/)[0]?.slice(0, 300) ?? ''
  if (code === 'ERR_CHECKSUM_MISMATCH' || /checksum mismatch/i.test(message)) return { code: 'download-corrupt', message }
  if (typeof code === 'string' && DISK_CODES.has(code)) return { code: 'disk', message }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return { code: 'feed-unreachable', message }
  if (typeof status === 'number') return { code: status >= 500 ? 'feed-unreachable' : 'feed-invalid', message }
  if (typeof code === 'string' && code.startsWith('ERR_UPDATER_')) return { code: 'feed-invalid', message }
  if (/net::ERR_|socket hang up|timed? ?out/i.test(message)) return { code: 'feed-unreachable', message }
  return { code: 'unknown', message }
}

function releaseNotesText(notes: ReleaseInfo['releaseNotes']): string | null {
  if (notes === undefined || notes === null) return null
  const text = typeof notes === 'string' ? notes : notes.map((n) => `${n.version}\n${n.note ?? ''}`).join('\n\n')
  // Feeds built from GitHub releases carry HTML: the window shows text only.
  const plain = text.replace(/<br\s*\/?>|<\/p>|<\/li>/gi, '\n').replace(/<[^>]*>/g, '').replace(/\n{3,}/g, '\n\n').trim()
  return plain ? plain.slice(0, 20_000) : null
}

/**
 * Keeps the app up to date with electron-updater: checks on start and every
 * few hours, downloads in the background (auto) or when asked (manual),
 * lets electron-updater verify the file (sha512 from the feed), and installs
 * when Duet quits or when the user restarts to update. Never during a
 * lesson: no install and no restart while one runs, and no check or
 * download starts then either (the call needs the bandwidth). A school's
 * install window confines installing to its hours; inside it an idle app
 * restarts to install. Mode `none` and per-machine installs the user cannot
 * write to do nothing at all.
 */
export class UpdateService {
  private phase: UpdatePhase = 'idle'
  private next: UpdateStatus['next'] = null
  private percent: number | null = null
  private error: UpdateStatus['error'] = null
  private lastChecked: number | null = null
  private lessonRunning = false
  private checkDue = false
  private busy: Promise<unknown> | null = null
  private applied: { feedUrl: string; channel: UpdateChannel } | null = null
  private firstCheck: unknown = null
  private interval: unknown = null
  private windowTick: unknown = null
  private installable: boolean | null = null

  constructor(private readonly deps: UpdateServiceDeps) {}

  start(): void {
    const { updater, logger } = this.deps
    updater.logger = logger
    // This service decides when to download and when to install.
    updater.autoDownload = false
    updater.autoInstallOnAppQuit = false
    updater.on('download-progress', (progress) => {
      if (this.phase !== 'downloading') return
      this.percent = Math.max(0, Math.min(100, progress.percent))
      this.publish()
    })
    this.reconfigure()
  }

  /** Settings or policy changed (mode, channel, feed, install window). */
  reconfigure(): void {
    const config = this.deps.config()
    const before = this.phase
    const inactive = this.inactivePhase(config)
    if (inactive) {
      this.stopTimers()
      this.phase = inactive
      this.next = this.percent = this.error = null
      this.deps.updater.autoInstallOnAppQuit = false
      if (before !== inactive) this.deps.logger.info(`updates: ${inactive}`)
      this.publish()
      return
    }
    if (!this.applied || this.applied.feedUrl !== config.feedUrl || this.applied.channel !== config.channel) {
      this.deps.updater.setFeedURL({ provider: 'generic', url: config.feedUrl, channel: channelName(config.channel) })
      this.deps.updater.channel = channelName(config.channel)
      if (this.applied) {
        // Another feed or channel: what was found on the old one no longer counts.
        if (this.phase === 'available' || this.phase === 'error' || this.phase === 'up-to-date') this.phase = 'idle'
        this.scheduleCheck(1000)
      }
      this.applied = { feedUrl: config.feedUrl, channel: config.channel }
      this.deps.logger.info(`updates: ${config.mode}, ${config.channel} channel, feed ${config.feedUrl}`)
    }
    if (before === 'disabled' || before === 'managed' || before === 'unsupported') this.phase = 'idle'
    if (this.firstCheck === null && this.interval === null) {
      this.scheduleCheck(this.deps.firstCheckMs ?? FIRST_CHECK_MS)
      this.interval = this.deps.timers.setInterval(() => void this.check('timer'), this.deps.intervalMs ?? UPDATE_CHECK_INTERVAL_MS)
    }
    if (config.mode === 'auto' && this.phase === 'available' && !this.lessonRunning) void this.download()
    this.armInstall()
    this.publish()
  }

  status(): UpdateStatus {
    const config = this.deps.config()
    return {
      phase: this.phase,
      mode: config.mode,
      channel: config.channel,
      currentVersion: this.deps.currentVersion,
      next: this.next,
      percent: this.percent,
      error: this.error,
      lastChecked: this.lastChecked,
      lessonRunning: this.lessonRunning,
      canRestart: this.mayInstall(config),
      installWindow: config.installWindow,
      managedByPolicy: config.managedByPolicy,
    }
  }

  /**
   * Looks for a newer version; in auto mode downloads it. A timer's check
   * during a lesson waits for the lesson to end; the user's own runs.
   */
  async check(reason: 'timer' | 'user' = 'user'): Promise<UpdateStatus> {
    // Ready: the downloaded update waits for its install; nothing to look for until then.
    if (this.inactivePhase(this.deps.config()) || this.phase === 'ready') return this.status()
    if (this.busy) {
      await this.busy.catch(() => {})
      if (reason === 'timer') return this.status()
    }
    if (reason === 'timer' && this.lessonRunning) {
      this.checkDue = true
      return this.status()
    }
    this.checkDue = false
    await this.run(async () => {
      this.phase = 'checking'
      this.error = null
      this.publish()
      const result = await this.deps.updater.checkForUpdates()
      this.lastChecked = this.deps.now().getTime()
      if (!result || !result.isUpdateAvailable) {
        this.phase = 'up-to-date'
        this.next = null
        this.deps.logger.info(`updates: ${this.deps.currentVersion} is up to date`)
        return
      }
      const info = result.updateInfo
      this.next = { version: info.version, releaseNotes: releaseNotesText(info.releaseNotes), releaseDate: info.releaseDate ?? null }
      this.phase = 'available'
      this.deps.logger.info(`updates: ${info.version} is available`)
    })
    if (this.phase === 'available' && this.deps.config().mode === 'auto' && !this.lessonRunning) await this.download()
    return this.status()
  }

  /** Downloads the version found (manual mode's button; auto mode calls it itself). */
  async download(): Promise<UpdateStatus> {
    if (this.phase !== 'available') return this.status()
    await this.run(async () => {
      this.phase = 'downloading'
      this.percent = 0
      this.error = null
      this.publish()
      // electron-updater registers its on-quit install when a download completes, and only if this
      // is true then; armInstall() below sets what actually applies right after.
      this.deps.updater.autoInstallOnAppQuit = true
      await this.deps.updater.downloadUpdate()
      this.phase = 'ready'
      this.percent = 100
      this.deps.logger.info(`updates: ${this.next?.version ?? 'update'} downloaded and verified`)
      this.armInstall()
    })
    return this.status()
  }

  /** "Restart to update": only when ready, outside lessons and inside the install window. */
  install(): void {
    const config = this.deps.config()
    if (this.phase !== 'ready') throw new UpdateRefusedError('No update is ready to install')
    if (this.lessonRunning) throw new UpdateRefusedError('Duet does not restart during a lesson; the update installs when it ends and Duet quits')
    if (!this.mayInstall(config)) throw new UpdateRefusedError(`Your school installs updates between ${config.installWindow ?? ''}`)
    this.installNow('the user asked')
  }

  /** The renderer says a lesson started or ended. */
  setLessonRunning(running: boolean): void {
    if (this.lessonRunning === running) return
    this.lessonRunning = running
    this.armInstall()
    this.publish()
    if (running) return
    if (this.checkDue) void this.check('timer')
    else if (this.phase === 'available' && this.deps.config().mode === 'auto') void this.download()
  }

  dispose(): void {
    this.stopTimers()
  }

  private inactivePhase(config: UpdateConfig): UpdatePhase | null {
    if (config.mode === 'none') return 'disabled'
    if (!this.deps.updater.isUpdaterActive()) return 'unsupported'
    this.installable ??= this.deps.canInstall()
    if (!this.installable) return 'managed'
    return null
  }

  private mayInstall(config: UpdateConfig): boolean {
    if (this.phase !== 'ready' || this.lessonRunning) return false
    return config.installWindow === null || insideInstallWindow(config.installWindow, this.deps.now())
  }

  /**
   * What happens to a ready update: installed when Duet quits (not during a
   * lesson, not outside the install window), or at once inside the install
   * window when the app is idle.
   */
  private armInstall(): void {
    const config = this.deps.config()
    const may = this.mayInstall(config)
    this.deps.updater.autoInstallOnAppQuit = may
    if (this.phase === 'ready' && config.installWindow !== null && this.windowTick === null) {
      this.windowTick = this.deps.timers.setInterval(() => this.armInstall(), WINDOW_TICK_MS)
    }
    if (may && config.installWindow !== null && config.mode === 'auto') this.installNow(`inside the install window ${config.installWindow}`)
  }

  private installNow(why: string): void {
    this.deps.logger.info(`updates: installing ${this.next?.version ?? ''} and restarting (${why})`)
    this.stopTimers()
    this.deps.updater.quitAndInstall(true, true)
  }

  private async run(task: () => Promise<void>): Promise<void> {
    const running = task()
    this.busy = running
    try {
      await running
    } catch (error) {
      this.deps.updater.autoInstallOnAppQuit = false
      this.error = classifyUpdateError(error)
      this.phase = 'error'
      this.percent = null
      this.deps.logger.error(`updates: ${this.error.code}: ${this.error.message}`)
    } finally {
      this.busy = null
      this.publish()
    }
  }

  private scheduleCheck(ms: number): void {
    if (this.firstCheck !== null) this.deps.timers.clearTimeout(this.firstCheck)
    this.firstCheck = this.deps.timers.setTimeout(() => {
      this.firstCheck = null
      void this.check('timer')
    }, ms)
  }

  private stopTimers(): void {
    const { timers } = this.deps
    if (this.firstCheck !== null) timers.clearTimeout(this.firstCheck)
    if (this.interval !== null) timers.clearInterval(this.interval)
    if (this.windowTick !== null) timers.clearInterval(this.windowTick)
    this.firstCheck = this.interval = this.windowTick = null
  }

  private publish(): void {
    this.deps.publish(this.status())
  }
}

/** electron-builder's channel files: latest.yml for stable, beta.yml for beta. */
function channelName(channel: UpdateChannel): string {
  return channel === 'stable' ? 'latest' : 'beta'
}
