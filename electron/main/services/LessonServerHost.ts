import { randomBytes } from 'node:crypto'
import type { AiConfigInput } from '../../../src/shared/ai/config'
import type { IceServer } from '../../../src/shared/lesson/ice'
import type { LessonServerInfoMessage } from '../../../src/shared/ipc'
import type { RecordingPolicy } from '../../../src/shared/recording/state'
import type { Logger } from '../../../src/shared/logger'

export const PREFERRED_PORT = 47300
/** The account of whoever uses this app to teach: their roster on the embedded server. */
export const OWNER_ACCOUNT = 'owner'

/** The options this host passes to src/server's createSessionServer. */
export interface HostedServerOptions {
  port: number
  host: string
  webRoot: string | null
  dataDir: string | null
  logger: Logger
  /** The AI provider and limits (desktop Settings merged with the managed policy). */
  ai: AiConfigInput
  /**
   * Only this app may start lessons and get a tutor's practice pass (this
   * secret never leaves the app). The key is new each run of the app (kept
   * across the server's restarts); the account it opens is always the same
   * one, the app's owner, so the roster stays.
   */
  tutorKeys: { key: string; id: string }[]
  /** The electron-vite dev server's origin in development; the packaged app's app://duet is always allowed. */
  allowedOrigins: string[]
  /** STUN/TURN handed to the lesson's clients (policy IceServers). */
  iceServers: IceServer[]
  /** Who may record (policy Recording). */
  recording: RecordingPolicy
}

/**
 * What the hosted server is started with that settings and policy decide:
 * the network it listens on (127.0.0.1 unless students on the LAN may join),
 * STUN/TURN and recording. A change restarts it between lessons.
 */
export interface HostedServerPolicy {
  lanAccess: boolean
  iceServers: IceServer[]
  recording: RecordingPolicy
}

export interface HostedServerHandle {
  port: number
  url: string
  /** Takes new AI settings without a restart (the next question uses them); a server without it takes them at its next start. */
  updateAi?(config: AiConfigInput): void
  close(): Promise<void>
}

/** How a change of AI settings reaches the embedded server. */
export type AiApplyResult = 'live' | 'on-start' | 'school-server'

/** How a change of HostedServerPolicy reaches the embedded server. */
export type ServerPolicyApplyResult = 'unchanged' | 'restarted' | 'after-lesson' | 'on-start' | 'school-server'

export interface LessonServerHostDeps {
  createSessionServer(opts: HostedServerOptions): Promise<HostedServerHandle>
  lanAddresses(port: number): string[]
  /** settings.serverUrl: a school server to use instead of hosting one. */
  schoolServerUrl(): string | null
  dataDir: string
  /** Built web client for students joining from a browser (null = API only). */
  webRoot: string | null
  logger: Logger
  /** Read at start and at each applyAi(): defaults < user settings < policy (none: server defaults). */
  aiConfig?(): AiConfigInput
  /** Read at every start (settings lanAccess, policy AllowLanJoin/IceServers/Recording). */
  serverPolicy(): HostedServerPolicy
  /** A lesson is running in this app: the server is not restarted under it. */
  lessonRunning(): boolean
  port?: number
  /** Web origins besides app://duet that may call the server (the dev server). */
  allowedOrigins?: string[]
}

export const LOOPBACK_HOST = '127.0.0.1'
export const ALL_INTERFACES = '0.0.0.0'

function samePolicy(a: HostedServerPolicy, b: HostedServerPolicy): boolean {
  return a.lanAccess === b.lanAccess && a.recording === b.recording && JSON.stringify(a.iceServers) === JSON.stringify(b.iceServers)
}

function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE'
}

/** The address this machine itself uses: the wildcard bind address is not connectable everywhere. */
export function loopbackUrl(serverUrl: string, port: number): string {
  try {
    const url = new URL(serverUrl)
    if (url.hostname === '0.0.0.0' || url.hostname === '[::]' || url.hostname === '::') url.hostname = '127.0.0.1'
    return url.origin
  } catch {
    return `http://127.0.0.1:${port}`
  }
}

/**
 * Hosts the session server inside the tutor's app. Started once, on the first
 * ensure() (concurrent callers share that start); closed on quit. With a
 * school server configured it hosts nothing and returns that server.
 *
 * It listens on 127.0.0.1 unless the tutor (or the school's policy) lets
 * students on this network join: then on every interface, and ensure()
 * lists the LAN addresses for the invite. When that choice, STUN/TURN or the
 * recording rule changes, the server restarts on the same port, at once if
 * no lesson is running, else when the lesson ends (lessons, tokens and
 * boards are on disk and survive it).
 */
export class LessonServerHost {
  private starting: Promise<HostedServerHandle> | null = null
  private started = false
  private closed = false
  /**
   * The embedded server's tutor key: made fresh each run, held by this
   * process and handed only to this app's own window (over IPC), so no
   * other page or LAN host can start lessons or get a tutor's practice pass.
   */
  private readonly tutorKey = randomBytes(32).toString('base64url')
  /** What the running server was started with. */
  private running: HostedServerPolicy | null = null
  private restartAfterLesson = false

  constructor(private readonly deps: LessonServerHostDeps) {}

  async ensure(): Promise<LessonServerInfoMessage> {
    const school = this.deps.schoolServerUrl()
    if (school) return { url: school.replace(/\/+$/, ''), lanUrls: [], hosted: false }
    if (this.closed) throw new Error('The lesson server is shut down')
    this.starting ??= this.startOnce()
    const handle = await this.starting
    const lan = this.running?.lanAccess ?? false
    return { url: loopbackUrl(handle.url, handle.port), lanUrls: lan ? this.deps.lanAddresses(handle.port) : [], hosted: true, tutorKey: this.tutorKey }
  }

  /**
   * Settings or policy changed what the server is started with: restart it
   * now if nothing depends on it, after the running lesson otherwise.
   */
  async applyServerPolicy(): Promise<ServerPolicyApplyResult> {
    if (this.deps.schoolServerUrl()) return 'school-server'
    if (!this.starting) return 'on-start'
    const handle = await this.starting.catch(() => null)
    if (!handle || !this.running) return 'on-start'
    if (samePolicy(this.running, this.deps.serverPolicy())) return 'unchanged'
    if (this.deps.lessonRunning()) {
      this.restartAfterLesson = true
      this.deps.logger.info('lesson server: new network/recording settings apply when the lesson ends')
      return 'after-lesson'
    }
    await this.restart(handle)
    return 'restarted'
  }

  /** The lesson in this app ended: a restart that waited for it happens now. */
  async lessonEnded(): Promise<void> {
    if (!this.restartAfterLesson) return
    this.restartAfterLesson = false
    await this.applyServerPolicy()
  }

  /**
   * Hands the current AI settings to the running server at once (it swaps
   * them live; answers streaming now finish with the old ones). Not started
   * yet: they are read when it starts. A school server is configured: this
   * app does not host one, and the school sets its AI.
   */
  async applyAi(): Promise<AiApplyResult> {
    if (this.deps.schoolServerUrl()) return 'school-server'
    const handle = this.starting ? await this.starting.catch(() => null) : null
    if (!handle?.updateAi) return 'on-start'
    handle.updateAi(this.deps.aiConfig?.() ?? {})
    return 'live'
  }

  /** What applyAi() would do, without doing it (for Settings). */
  aiState(): AiApplyResult {
    if (this.deps.schoolServerUrl()) return 'school-server'
    return this.starting && this.started ? 'live' : 'on-start'
  }

  /** Idempotent; safe to call when nothing was started. */
  async close(): Promise<void> {
    this.closed = true
    const starting = this.starting
    this.starting = null
    if (!starting) return
    const handle = await starting.catch(() => null)
    if (handle) await handle.close()
  }

  private startOnce(port?: number): Promise<HostedServerHandle> {
    return this.start(port).catch((error: unknown) => {
      this.starting = null // let a later call try again
      this.started = false
      throw error
    })
  }

  private async restart(handle: HostedServerHandle): Promise<void> {
    this.deps.logger.info('lesson server: restarting with new network/recording settings')
    this.started = false
    this.starting = handle.close().then(() => this.startOnce(handle.port))
    await this.starting.catch((error: unknown) => this.deps.logger.error('lesson server: restart failed:', error))
  }

  private async start(preferredPort?: number): Promise<HostedServerHandle> {
    const { logger } = this.deps
    const policy = this.deps.serverPolicy()
    const base = {
      host: policy.lanAccess ? ALL_INTERFACES : LOOPBACK_HOST,
      webRoot: this.deps.webRoot,
      dataDir: this.deps.dataDir,
      logger,
      ai: this.deps.aiConfig?.() ?? {},
      tutorKeys: [{ key: this.tutorKey, id: OWNER_ACCOUNT }],
      allowedOrigins: this.deps.allowedOrigins ?? [],
      iceServers: policy.iceServers,
      recording: policy.recording,
    }
    const port = preferredPort ?? this.deps.port ?? PREFERRED_PORT
    let handle: HostedServerHandle
    try {
      handle = await this.deps.createSessionServer({ ...base, port })
    } catch (error) {
      if (!isAddressInUse(error) || port === 0) throw error
      logger.warn(`lesson server: port ${port} is busy, using a free port`)
      handle = await this.deps.createSessionServer({ ...base, port: 0 })
    }
    logger.info(`lesson server listening on ${base.host}:${handle.port} (${policy.lanAccess ? 'students on this network may join' : 'this computer only'})`)
    if (this.closed) {
      // Quit arrived while starting: do not leave it running.
      await handle.close()
      throw new Error('The lesson server is shut down')
    }
    this.started = true
    this.running = structuredClone(policy)
    return handle
  }
}
