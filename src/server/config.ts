import path from 'node:path'
import { z } from 'zod'
import { consoleLogger, type Logger } from './logger'
import type { Database, DatabaseConfig } from './db/database'
import type { TurnSecretConfig } from './lesson/turn'
import { TutorKeyEntrySchema, type TutorKeyEntry } from './lesson/tutorKeys'
import { IceServerSchema, IceTransportPolicySchema, type IceServer, type IceTransportPolicy } from '../shared/lesson/ice'
import { AiConfigLayerSchema, AiConfigSchema, type AiConfigInput } from '../shared/ai/config'
import { RecordingPolicySchema, type RecordingPolicy } from '../shared/recording/state'
import { TimeZoneSchema } from '../shared/students/plan'


export interface SessionServerOptions {
  /** Default 47300; 0 = any free port. */
  port?: number
  /** Default '0.0.0.0'. */
  host?: string
  /** Origin used in invite links; default http://<first LAN IPv4 or 127.0.0.1>:<port>. */
  publicUrl?: string
  /** Folder with the built web client (dist/web); null = API only. */
  webRoot?: string | null
  /** Where the signing secret, board documents and recordings persist (and the embedded database, unless `database` says otherwise); null = memory only. */
  dataDir?: string | null
  /**
   * The database: a PostgreSQL URL (a school's server), a DatabaseConfig, or
   * an open Database shared with the caller (it is not closed with the
   * server). Default: PGlite in <dataDir>/db, or none without a dataDir
   * (lessons and AI records then live in memory and there are no student records).
   */
  database?: string | DatabaseConfig | Database
  /** Handed to clients in the lesson socket's welcome; default []. */
  iceServers?: IceServer[]
  /** A coturn with `use-auth-secret`: each participant gets a short-lived credential of their own (see lesson/turn.ts). */
  turn?: TurnSecretConfig
  /**
   * Keys a tutor must present to start a lesson here (the desktop app passes
   * its own secret to its embedded server; a school lists the keys it hands
   * its tutors). Empty: anyone who reaches the server may.
   */
  tutorKeys?: TutorKeyEntry[]
  /** Web origins besides the server's own that may call it (the desktop app's app://duet is always allowed). */
  allowedOrigins?: string[]
  /** 'relay' makes clients use only TURN candidates; default 'all'. */
  iceTransportPolicy?: IceTransportPolicy
  /** false runs the built-in engine on plain WebRTC defaults, without its weak-network tuning; default true. */
  mediaTuning?: boolean
  /** Default 24 h. */
  inviteTtlMs?: number
  /** Default 12 h. The tutor's token also lasts at least as long as the invite. */
  tokenTtlMs?: number
  /** WebSocket ping interval; default 5000. */
  heartbeatMs?: number
  /** Default HELLO_TIMEOUT_MS (10 s); tests use small values. */
  helloTimeoutMs?: number
  /** POST requests per minute per client address; default 60. */
  postRateLimitPerMinute?: number
  /** AI side panel: model endpoint, limits, student mode (see src/shared/ai/config.ts). */
  ai?: AiConfigInput
  /** Who may record lessons: the tutor chooses ('allowed', default), nobody ('forbidden'), every lesson ('always'). */
  recording?: RecordingPolicy
  /** A school's staff (keys with role staff) may read the threads between students and their tutors, never write (default false). */
  staffReadsThreads?: boolean
  /** Days and weeks of students without a weekly plan are counted in this IANA time zone (default: the machine's). */
  timeZone?: string
  /** Default console-based. */
  logger?: Logger
  /** Injectable clock for tests. */
  now?: () => number
}

export const DEFAULT_PORT = 47300
export const DEFAULT_HOST = '0.0.0.0'
const HOUR = 3_600_000

/** postgres://user@host:5432/duet (the password better in PGPASSWORD or the config file than on a command line). */
export const DatabaseUrlSchema = z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'a postgres:// URL')

const HttpOriginSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .transform((url) => url.replace(/\/+$/, ''))
const PortSchema = z.number().int().min(0).max(65535)
const DurationSchema = z.number().int().min(1000).max(365 * 24 * HOUR)
const IceServersSchema = z.array(IceServerSchema).max(16)
const TurnSchema = z.strictObject({
  urls: z.array(z.string().regex(/^turns?:[^\s]+$/, 'turn: or turns: URL')).min(1).max(8),
  secret: z.string().min(16, 'use a random secret of at least 16 characters').max(256),
  ttlSeconds: z.number().int().min(60).max(7 * 24 * 3600).default(6 * 3600),
})
/** At least 24 characters: a key is the only thing between the LAN and the tutor's lessons (and roster). */
const TutorKeysSchema = z.array(TutorKeyEntrySchema).max(1000)
const OriginSchema = z.string().regex(/^[a-z][a-z0-9+.-]*:\/\/[^\s/]+$/, 'an origin such as https://lessons.example.edu')
const OriginsSchema = z.array(OriginSchema).max(32)

/** Validates the options a caller passes in-process; throws with the bad field named. */
const OptionsSchema = z.object({
  port: PortSchema.default(DEFAULT_PORT),
  host: z.string().min(1).default(DEFAULT_HOST),
  publicUrl: HttpOriginSchema.optional(),
  webRoot: z.string().min(1).nullable().default(null),
  dataDir: z.string().min(1).nullable().default(null),
  iceServers: IceServersSchema.default([]),
  turn: TurnSchema.optional(),
  tutorKeys: TutorKeysSchema.default([]),
  allowedOrigins: OriginsSchema.default([]),
  iceTransportPolicy: IceTransportPolicySchema.default('all'),
  mediaTuning: z.boolean().default(true),
  inviteTtlMs: DurationSchema.default(24 * HOUR),
  tokenTtlMs: DurationSchema.default(12 * HOUR),
  heartbeatMs: z.number().int().min(10).default(5000),
  helloTimeoutMs: z.number().int().min(10).optional(),
  postRateLimitPerMinute: z.number().int().min(1).default(60),
  ai: AiConfigSchema.prefault({}),
  recording: RecordingPolicySchema.default('allowed'),
  /** A school's staff (keys with role staff) may read the threads between students and tutors (never write). */
  staffReadsThreads: z.boolean().default(false),
  timeZone: TimeZoneSchema.default(() => Intl.DateTimeFormat().resolvedOptions().timeZone),
})

export type ResolvedOptions = z.infer<typeof OptionsSchema> & { logger: Logger; now: () => number; database: DatabaseConfig | Database | null }

export function resolveOptions(opts: SessionServerOptions): ResolvedOptions {
  const { logger, now, database, ...rest } = opts
  const parsed = OptionsSchema.safeParse(rest)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`Invalid session server option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  return { ...parsed.data, logger: logger ?? consoleLogger, now: now ?? Date.now, database: databaseOf(database, parsed.data.dataDir) }
}

function databaseOf(database: SessionServerOptions['database'], dataDir: string | null): DatabaseConfig | Database | null {
  if (typeof database === 'string') {
    const url = DatabaseUrlSchema.safeParse(database)
    if (!url.success) throw new Error('Invalid session server option database: a postgres:// URL')
    return { kind: 'postgres', url: url.data }
  }
  if (database !== undefined) return database
  return dataDir === null ? null : { kind: 'pglite', dir: path.join(dataDir, 'db') }
}

/** duet-server.json: every field optional; unknown fields are refused so typos are caught. */
export const ServerConfigFileSchema = z
  .strictObject({
    port: PortSchema,
    host: z.string().min(1),
    publicUrl: HttpOriginSchema,
    webRoot: z.string().min(1).nullable(),
    dataDir: z.string().min(1).nullable(),
    database: DatabaseUrlSchema,
    iceServers: IceServersSchema,
    turn: TurnSchema,
    tutorKeys: TutorKeysSchema,
    allowedOrigins: OriginsSchema,
    iceTransportPolicy: IceTransportPolicySchema,
    mediaTuning: z.boolean(),
    inviteTtlMs: DurationSchema,
    tokenTtlMs: DurationSchema,
    ai: AiConfigLayerSchema,
    recording: RecordingPolicySchema,
    staffReadsThreads: z.boolean(),
    timeZone: TimeZoneSchema,
  })
  .partial()
export type ServerConfigFile = z.infer<typeof ServerConfigFileSchema>
