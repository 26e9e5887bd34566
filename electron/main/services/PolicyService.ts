import { join } from 'node:path'
import { z } from 'zod'
import { AiConfigLayerSchema } from '../../../src/shared/ai/config'
import type { Logger } from '../../../src/shared/logger'
import { describeZodError } from '../../../src/shared/zodError'

/**
 * The managed-install policy file a school's admin deploys (VS Code style
 * policy.json): what it sets wins over the user's settings and is locked in
 * the UI. Only the `ai` key is read here; other top-level keys belong to
 * other features and are left alone.
 *
 *   { "ai": { "baseUrl": "https://llm.school.example/v1", "model": "qwen2.5-14b",
 *             "apiKey": "…", "questionsPerStudentPerDay": 30, "lockMode": true } }
 */
export type AiPolicy = z.infer<typeof AiConfigLayerSchema>

export interface PolicyRead {
  ai: AiPolicy
  /** Why the file is ignored (bad JSON, bad values); null when it is fine or absent. */
  error: string | null
  path: string
}

export interface PolicyDeps {
  path: string
  /** fs.readFileSync(path, 'utf8'); throws ENOENT when there is no policy. */
  readFile(path: string): string
  logger: Logger
}

/** Where each platform's managed policy lives (machine-wide, writable by admins only). */
export function defaultPolicyPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Duet', 'policy.json')
  if (platform === 'darwin') return '/Library/Application Support/Duet/policy.json'
  return '/etc/duet/policy.json'
}

const PolicyFileSchema = z.looseObject({ ai: AiConfigLayerSchema.optional() })
const MAX_POLICY_BYTES = 256 * 1024

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

/**
 * Reads the policy on every call (a small file; an admin's change applies
 * without a restart). A broken file is ignored as a whole, never half-used,
 * and the reason is logged and shown in Settings.
 */
export class PolicyService {
  private lastError: string | null = null

  constructor(private readonly deps: PolicyDeps) {}

  read(): PolicyRead {
    const { path } = this.deps
    let text: string
    try {
      text = this.deps.readFile(path)
    } catch (error) {
      if (isMissing(error)) return this.result({}, null)
      return this.result({}, `Policy file ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`)
    }
    if (text.length > MAX_POLICY_BYTES) return this.result({}, `Policy file ${path} is too large`)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      return this.result({}, `Policy file ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
    }
    const parsed = PolicyFileSchema.safeParse(json)
    if (!parsed.success) return this.result({}, `Policy file ${path} is invalid: ${describeZodError(parsed.error)}`)
    return this.result(parsed.data.ai ?? {}, null)
  }

  private result(ai: AiPolicy, error: string | null): PolicyRead {
    // Log a problem once, not on every settings read.
    if (error && error !== this.lastError) this.deps.logger.error(`policy: ${error}; using no AI policy`)
    this.lastError = error
    return { ai, error, path: this.deps.path }
  }
}
