import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { aiFromEnv } from '../shared/ai/config'
import { ServerConfigFileSchema, type ServerConfigFile } from './config'

export const USAGE = `Usage: npm run server -- [options]   (or: node dist/server/main.mjs [options] after npm run build:server)

  --port <n>          Port (default 47300; 0 = any free port)        env DUET_PORT
  --host <addr>       Address to listen on (default 0.0.0.0)          env DUET_HOST
  --public-url <url>  Origin used in invite links                     env DUET_PUBLIC_URL
  --web-root <dir>    Built web client (default dist/web if present)
  --data-dir <dir>    Where lessons persist (default .duet-data;      env DUET_DATA_DIR
                      "" = memory only)
  --database <url>    A PostgreSQL server instead of the embedded     env DUET_DATABASE_URL
                      database in <data-dir>/db (postgres://…)
  --recording <rule>  allowed (tutor chooses, default) | forbidden |   env DUET_RECORDING
                      always (every lesson is recorded)
  School staff (keys with role staff) may read the threads between     env DUET_STAFF_READS_THREADS
  students and tutors (on|off, default off; never write in them)
  --config <file>     JSON config file (duet-server.json)
                                                                      env DUET_ICE_SERVERS (JSON array)
  Tutor keys (who may start lessons), comma-separated, never a flag:  env DUET_TUTOR_KEYS
  Other web origins that may call this server, comma-separated:       env DUET_ALLOWED_ORIGINS
  TURN with coturn's use-auth-secret (short-lived credentials):       env DUET_TURN_URLS, DUET_TURN_SECRET
  --ice-transport-policy <all|relay>                                 env DUET_ICE_TRANSPORT_POLICY
                      relay: media only through the TURN servers
                      (default all)
  --media-tuning <on|off>                                            env DUET_MEDIA_TUNING
                      the built-in engine's weak-network tuning
                      (default on; off = plain WebRTC defaults)
  --ai-base-url <url> OpenAI-compatible endpoint for the AI panel      env DUET_AI_BASE_URL
  --ai-model <name>   Model name at that endpoint                      env DUET_AI_MODEL
                      (API key: env DUET_AI_API_KEY or config "ai.apiKey", never a flag;
                      more: DUET_AI_VISION, DUET_AI_MAX_TOKENS, DUET_AI_QUESTIONS_PER_DAY,
                      DUET_AI_STUDENT_MODE, DUET_AI_LOCK_MODE, DUET_AI_OLLAMA_URL, DUET_AI_TIMEOUT_MS)
Precedence: defaults < config file < environment < command line.`

export type CliResult =
  | { kind: 'ok'; config: ServerConfigFile }
  | { kind: 'help' }
  | { kind: 'error'; message: string }

type Source = { label: (field: string) => string; values: Record<string, unknown> }

const ENV_NAMES: Record<string, string> = {
  port: 'DUET_PORT',
  host: 'DUET_HOST',
  publicUrl: 'DUET_PUBLIC_URL',
  dataDir: 'DUET_DATA_DIR',
  database: 'DUET_DATABASE_URL',
  iceServers: 'DUET_ICE_SERVERS',
  tutorKeys: 'DUET_TUTOR_KEYS',
  allowedOrigins: 'DUET_ALLOWED_ORIGINS',
  turn: 'DUET_TURN_URLS / DUET_TURN_SECRET',
  iceTransportPolicy: 'DUET_ICE_TRANSPORT_POLICY',
  mediaTuning: 'DUET_MEDIA_TUNING',
  recording: 'DUET_RECORDING',
  staffReadsThreads: 'DUET_STAFF_READS_THREADS',
  ai: 'DUET_AI_* setting',
}
const FLAG_NAMES: Record<string, string> = {
  port: '--port',
  host: '--host',
  publicUrl: '--public-url',
  webRoot: '--web-root',
  dataDir: '--data-dir',
  database: '--database',
  iceTransportPolicy: '--ice-transport-policy',
  mediaTuning: '--media-tuning',
  recording: '--recording',
  ai: '--ai-* flag',
}

/** "47300" -> 47300, but "47x" stays a string so the schema names the field. */
function numberish(value: string | undefined): unknown {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : value
}

/** "a, b" -> ['a', 'b']; unset or empty stays unset. */
function list(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '')
}

/** The keys that have a value, or undefined when none has (an absent layer). */
function definedOnly(values: Record<string, string | undefined>): Record<string, string> | undefined {
  const out = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, string>
  return Object.keys(out).length > 0 ? out : undefined
}

/** "on"/"off" (and true/false) -> boolean; anything else stays a string so the schema names the field. */
function onOff(value: string | undefined): unknown {
  if (value === undefined || value === '') return undefined
  if (value === 'on' || value === 'true') return true
  if (value === 'off' || value === 'false') return false
  return value
}

/** Paths from the command line and env are relative to cwd; "" means "none". */
function dir(value: string | undefined, base: string): string | null | undefined {
  if (value === undefined) return undefined
  return value === '' ? null : path.resolve(base, value)
}

function validate(source: Source): { ok: true; value: ServerConfigFile } | { ok: false; message: string } {
  const defined = Object.fromEntries(Object.entries(source.values).filter(([, v]) => v !== undefined))
  const parsed = ServerConfigFileSchema.safeParse(defined)
  if (parsed.success) return { ok: true, value: parsed.data }
  const issue = parsed.error.issues[0]
  const [field = '', ...rest] = (issue?.path ?? []).map(String)
  // Unknown keys are reported on the object itself, with their names in `keys`.
  const name = issue?.code === 'unrecognized_keys' ? source.label(issue.keys.join(', ')) : source.label(field)
  const where = rest.length > 0 ? `${name} (${rest.join('.')})` : name
  return { ok: false, message: `Invalid ${where}: ${issue?.message ?? 'invalid value'}` }
}

/** Reads command line, environment and optional config file into one validated config. */
export function loadCliConfig(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): CliResult {
  let args: ReturnType<typeof parseFlags>
  try {
    args = parseFlags(argv)
  } catch (err) {
    return { kind: 'error', message: `${err instanceof Error ? err.message : String(err)}\n\n${USAGE}` }
  }
  if (args.help) return { kind: 'help' }

  const layers: Source[] = []
  if (args.config !== undefined) {
    const file = path.resolve(cwd, args.config)
    let json: unknown
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'))
    } catch (err) {
      return { kind: 'error', message: `Cannot read config file ${file}: ${err instanceof Error ? err.message : String(err)}` }
    }
    // Paths inside the file are relative to the file, so it can be moved with its folders.
    const base = path.dirname(file)
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const raw = { ...(json as Record<string, unknown>) }
      for (const key of ['webRoot', 'dataDir'] as const) {
        if (typeof raw[key] === 'string' && raw[key] !== '') raw[key] = path.resolve(base, raw[key])
      }
      json = raw
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      return { kind: 'error', message: `Invalid config file ${file}: expected a JSON object` }
    }
    layers.push({ label: (f) => `field "${f}" in ${file}`, values: json as Record<string, unknown> })
  }

  let ice: unknown
  if (env.DUET_ICE_SERVERS !== undefined && env.DUET_ICE_SERVERS !== '') {
    try {
      ice = JSON.parse(env.DUET_ICE_SERVERS)
    } catch {
      return { kind: 'error', message: 'Invalid DUET_ICE_SERVERS: not valid JSON (expected an array of ICE servers)' }
    }
  }
  layers.push({
    label: (f) => ENV_NAMES[f] ?? f,
    values: {
      port: numberish(env.DUET_PORT),
      host: env.DUET_HOST || undefined,
      publicUrl: env.DUET_PUBLIC_URL || undefined,
      dataDir: dir(env.DUET_DATA_DIR, cwd),
      database: env.DUET_DATABASE_URL || undefined,
      iceServers: ice,
      tutorKeys: list(env.DUET_TUTOR_KEYS),
      allowedOrigins: list(env.DUET_ALLOWED_ORIGINS),
      turn: env.DUET_TURN_SECRET || env.DUET_TURN_URLS ? { urls: list(env.DUET_TURN_URLS), secret: env.DUET_TURN_SECRET } : undefined,
      iceTransportPolicy: env.DUET_ICE_TRANSPORT_POLICY || undefined,
      mediaTuning: onOff(env.DUET_MEDIA_TUNING),
      recording: env.DUET_RECORDING || undefined,
      staffReadsThreads: onOff(env.DUET_STAFF_READS_THREADS),
      ai: aiFromEnv(env),
    },
  })
  layers.push({
    label: (f) => FLAG_NAMES[f] ?? f,
    values: {
      port: numberish(args.port),
      host: args.host,
      publicUrl: args['public-url'],
      webRoot: dir(args['web-root'], cwd),
      dataDir: dir(args['data-dir'], cwd),
      database: args.database,
      iceTransportPolicy: args['ice-transport-policy'],
      mediaTuning: onOff(args['media-tuning']),
      recording: args.recording,
      ai: definedOnly({ baseUrl: args['ai-base-url'], model: args['ai-model'] }),
    },
  })

  let config: ServerConfigFile = {}
  for (const layer of layers) {
    const result = validate(layer)
    if (!result.ok) return { kind: 'error', message: result.message }
    // `ai` merges key by key, so a key from the environment keeps the file's other AI settings.
    config = { ...config, ...result.value, ...(result.value.ai || config.ai ? { ai: { ...config.ai, ...result.value.ai } } : {}) }
  }
  return { kind: 'ok', config }
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      'web-root': { type: 'string' },
      'data-dir': { type: 'string' },
      database: { type: 'string' },
      recording: { type: 'string' },
      'ice-transport-policy': { type: 'string' },
      'media-tuning': { type: 'string' },
      'ai-base-url': { type: 'string' },
      'ai-model': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values
}
