import { join } from 'node:path'
import { parse as parsePlist } from 'plist'
import { parsePolicyDocument, type ParsedPolicySource, type PolicyProblem } from '../../../src/shared/policy/parse'
import { APP_BUNDLE_ID } from '../../../src/shared/policy/definition'
import { decodeRegFile, parseRegFile, policyKey, RegFileError, registryPolicyDocument, type RegistryHive } from './windowsRegistry'

/** Larger than any honest policy; a bigger file is refused rather than parsed. */
export const MAX_POLICY_BYTES = 256 * 1024

/** One place policy can come from. read() resolves null when nothing is there. */
export interface PolicySource {
  /** Shown to admins with problems: a path or a registry key. */
  readonly label: string
  read(): Promise<ParsedPolicySource | null>
  /** Folders whose changes mean "read again"; none: the source is polled (the registry). */
  readonly watchDirs: readonly string[]
}

export interface PolicySourceDeps {
  /** fs.promises.readFile; rejects with code ENOENT/ENOTDIR when absent. */
  readFile(path: string): Promise<Uint8Array>
  /** `reg export <key> <tmp> /y`, the file's bytes; null when the key does not exist. */
  exportRegistryKey(key: string): Promise<Uint8Array | null>
  env: Record<string, string | undefined>
  /** os.userInfo().username: per-user managed preferences on macOS. */
  username: string
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A source that could not be used at all: no values, one problem. */
function unusable(label: string, why: string): ParsedPolicySource {
  const problem: PolicyProblem = { source: label, policy: null, message: `${why}; nothing in it is applied` }
  return { source: label, enforced: {}, recommended: {}, problems: [problem] }
}

function fileSource(path: string, decode: (bytes: Uint8Array) => unknown, deps: PolicySourceDeps): PolicySource {
  const dir = path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')))
  return {
    label: path,
    watchDirs: [dir],
    async read() {
      let bytes: Uint8Array
      try {
        bytes = await deps.readFile(path)
      } catch (error) {
        if (isMissing(error)) return null
        return unusable(path, `cannot be read (${message(error)})`)
      }
      if (bytes.byteLength > MAX_POLICY_BYTES) return unusable(path, `is larger than ${MAX_POLICY_BYTES / 1024} KB`)
      let document: unknown
      try {
        document = decode(bytes)
      } catch (error) {
        return unusable(path, message(error))
      }
      return parsePolicyDocument(document, path)
    },
  }
}

/** policy.json (Linux /etc/duet, and the older per-platform paths). */
export function jsonPolicySource(path: string, deps: PolicySourceDeps): PolicySource {
  return fileSource(
    path,
    (bytes) => {
      try {
        return JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, '')) as unknown
      } catch (error) {
        throw new Error(`is not valid JSON (${message(error)})`)
      }
    },
    deps,
  )
}

/** A managed-preferences plist (XML or binary, as the profile installer wrote it). */
export function plistPolicySource(path: string, deps: PolicySourceDeps): PolicySource {
  return fileSource(
    path,
    (bytes) => {
      try {
        // plist's parse() takes any Uint8Array for binary: XML profiles go in as text.
        const binary = new TextDecoder().decode(bytes.subarray(0, 6)) === 'bplist'
        const document = parsePlist(binary ? bytes : new TextDecoder().decode(bytes))
        // A profile's own bookkeeping (PayloadUUID, PayloadVersion, …) is not policy.
        if (typeof document !== 'object' || document === null || Array.isArray(document) || document instanceof Uint8Array || document instanceof Date) return document
        return Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('Payload')))
      } catch (error) {
        throw new Error(`is not a valid property list (${message(error)})`)
      }
    },
    deps,
  )
}

export function registryPolicySource(hive: RegistryHive, deps: PolicySourceDeps): PolicySource {
  const key = policyKey(hive)
  return {
    label: key,
    watchDirs: [],
    async read() {
      let bytes: Uint8Array | null
      try {
        bytes = await deps.exportRegistryKey(key)
      } catch (error) {
        return unusable(key, `cannot be read (${message(error)})`)
      }
      if (bytes === null) return null
      try {
        const { document, problems } = registryPolicyDocument(parseRegFile(decodeRegFile(bytes), deps.env), hive)
        const parsed = parsePolicyDocument(document, key)
        parsed.problems.unshift(...problems.map((p) => ({ source: key, policy: p.name, message: p.message })))
        return parsed
      } catch (error) {
        if (error instanceof RegFileError) return unusable(key, `reg export gave unreadable output (${error.message})`)
        throw error
      }
    },
  }
}

/** The older policy.json locations (before managed stores were read); they keep working. */
export function legacyPolicyPath(platform: NodeJS.Platform, env: Record<string, string | undefined>): string {
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Duet', 'policy.json')
  if (platform === 'darwin') return '/Library/Application Support/Duet/policy.json'
  return '/etc/duet/policy.json'
}

/**
 * Where each platform keeps managed policy, strongest first: machine before
 * user (as Windows and macOS rank them), the platform's managed store before
 * the policy.json file.
 */
export function policySources(platform: NodeJS.Platform, deps: PolicySourceDeps): PolicySource[] {
  const json = jsonPolicySource(legacyPolicyPath(platform, deps.env), deps)
  if (platform === 'win32') return [registryPolicySource('HKLM', deps), registryPolicySource('HKCU', deps), json]
  if (platform === 'darwin') {
    const managed = '/Library/Managed Preferences'
    return [
      plistPolicySource(`${managed}/${APP_BUNDLE_ID}.plist`, deps),
      plistPolicySource(`${managed}/${deps.username}/${APP_BUNDLE_ID}.plist`, deps),
      json,
    ]
  }
  return [json]
}
