/**
 * Group Policy values under HKLM/HKCU\SOFTWARE\Policies\Duet\Duet, read
 * without a native addon: `reg export` writes the key to a .reg file, which
 * is UTF-16 (so a Chinese AdminContact survives; `reg query` prints in the
 * console's code page), and this module parses it. No maintained npm package
 * parses .reg text (winreg and regedit spawn reg.exe/cscript themselves and
 * cannot be fed a file), so the small parser below is ours.
 */

export const POLICY_KEY_PATH = 'SOFTWARE\\Policies\\Duet\\Duet'
export const REGISTRY_HIVES = ['HKLM', 'HKCU'] as const
export type RegistryHive = (typeof REGISTRY_HIVES)[number]

const HIVE_NAMES: Record<RegistryHive, string> = { HKLM: 'HKEY_LOCAL_MACHINE', HKCU: 'HKEY_CURRENT_USER' }

export function policyKey(hive: RegistryHive): string {
  return `${hive}\\${POLICY_KEY_PATH}`
}

/** A value as the .reg file holds it, typed the way the registry types it. */
export type RegistryValue = string | number | { unsupported: string }

/** Key path (as written in the file, e.g. HKEY_LOCAL_MACHINE\SOFTWARE\...) → value name → value. */
export type RegistryKeys = Map<string, Map<string, RegistryValue>>

export class RegFileError extends Error {
  override name = 'RegFileError'
}

/** The text of a .reg file: reg.exe writes UTF-16LE with a byte order mark. */
export function decodeRegFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '')
}

function hexBytes(text: string): Uint8Array {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '')
  const out = new Uint8Array(parts.length)
  parts.forEach((part, i) => {
    if (!/^[0-9a-fA-F]{1,2}$/.test(part)) throw new RegFileError(`bad hex byte "${part}"`)
    out[i] = parseInt(part, 16)
  })
  return out
}

function utf16(bytes: Uint8Array): string {
  return new TextDecoder('utf-16le').decode(bytes)
}

/** REG_EXPAND_SZ: %VAR% is replaced as Windows does when a program reads the value. */
function expandEnvironment(text: string, env: Record<string, string | undefined>): string {
  const lower = new Map(Object.entries(env).map(([k, v]) => [k.toLowerCase(), v]))
  return text.replace(/%([^%]+)%/g, (whole, name: string) => lower.get(name.toLowerCase()) ?? whole)
}

function unescapeRegString(body: string): string {
  return body.replace(/\\(.)/g, '$1')
}

function parseData(data: string, env: Record<string, string | undefined>): RegistryValue {
  if (data.startsWith('"')) {
    if (!data.endsWith('"') || data.length < 2) throw new RegFileError('unterminated string')
    return unescapeRegString(data.slice(1, -1))
  }
  const dword = /^dword:([0-9a-fA-F]{8})$/.exec(data)
  if (dword) return parseInt(dword[1] as string, 16)
  const hex = /^hex(?:\(([0-9a-fA-F]+)\))?:(.*)$/.exec(data)
  if (!hex) throw new RegFileError(`unknown value format "${data.slice(0, 20)}"`)
  const type = hex[1] === undefined ? 3 : parseInt(hex[1], 16)
  const bytes = hexBytes(hex[2] as string)
  switch (type) {
    case 1: // REG_SZ written as hex (it held a character reg export cannot quote)
      return utf16(bytes).replace(/\0+$/, '')
    case 2: // REG_EXPAND_SZ
      return expandEnvironment(utf16(bytes).replace(/\0+$/, ''), env)
    case 7: // REG_MULTI_SZ: one line per string
      return utf16(bytes).replace(/\0+$/, '').split('\0').join('\n')
    case 4: // REG_DWORD (little-endian) written as hex
      if (bytes.length !== 4) throw new RegFileError('REG_DWORD must be 4 bytes')
      return new DataView(bytes.buffer).getUint32(0, true)
    case 0xb: {
      if (bytes.length !== 8) throw new RegFileError('REG_QWORD must be 8 bytes')
      const value = new DataView(bytes.buffer).getBigUint64(0, true)
      return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : { unsupported: 'a REG_QWORD too large for a number' }
    }
    default:
      return { unsupported: type === 3 ? 'REG_BINARY data' : `registry value type ${type}` }
  }
}

/** `"name"=data`, where the name is quoted with \" and \\ escapes, or @ for the default value. */
function splitValueLine(line: string): [string | null, string] {
  if (line.startsWith('@=')) return [null, line.slice(2)]
  if (!line.startsWith('"')) throw new RegFileError(`unexpected line "${line.slice(0, 40)}"`)
  let i = 1
  let name = ''
  while (i < line.length && line[i] !== '"') {
    if (line[i] === '\\' && i + 1 < line.length) i++
    name += line[i]
    i++
  }
  if (line[i] !== '"' || line[i + 1] !== '=') throw new RegFileError(`unexpected line "${line.slice(0, 40)}"`)
  return [name, line.slice(i + 2)]
}

/**
 * Parses "Windows Registry Editor Version 5.00" text. Values continued over
 * lines (hex data ending in a backslash) are joined first. Throws
 * RegFileError on text that is not a .reg file.
 */
export function parseRegFile(text: string, env: Record<string, string | undefined> = {}): RegistryKeys {
  const lines = text.split(/\r?\n/)
  const header = lines.shift()?.trim()
  if (header !== 'Windows Registry Editor Version 5.00' && header !== 'REGEDIT4') throw new RegFileError('not a .reg file')
  const keys: RegistryKeys = new Map()
  let current: Map<string, RegistryValue> | null = null
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] as string).trim()
    while (/=hex(\([0-9a-fA-F]+\))?:.*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + (lines[++i] as string).trim()
    if (line === '' || line.startsWith(';')) continue
    if (line.startsWith('[') && line.endsWith(']')) {
      current = new Map()
      keys.set(line.slice(1, -1), current)
      continue
    }
    if (!current) throw new RegFileError('value outside a key')
    const [name, data] = splitValueLine(line)
    if (name === null) continue // the key's (Default) value means nothing here
    try {
      current.set(name, parseData(data, env))
    } catch (error) {
      current.set(name, { unsupported: error instanceof Error ? error.message : String(error) })
    }
  }
  return keys
}

/** What one hive holds: the policy document, and what could not be used (value name or subkey → why). */
export interface RegistryPolicy {
  document: Record<string, unknown>
  problems: { name: string; message: string }[]
}

/**
 * The policy document of one hive: the key's values, with the Recommended
 * subkey as a nested object. Values of a type policy never uses (binary,
 * bad hex) and subkeys other than Recommended are reported, not used.
 */
export function registryPolicyDocument(keys: RegistryKeys, hive: RegistryHive): RegistryPolicy {
  const base = `${HIVE_NAMES[hive]}\\${POLICY_KEY_PATH}`.toLowerCase()
  const document: Record<string, unknown> = {}
  const problems: RegistryPolicy['problems'] = []
  const usable = (values: Map<string, RegistryValue>, prefix: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    for (const [name, value] of values) {
      if (typeof value === 'object') problems.push({ name: `${prefix}${name}`, message: `${value.unsupported} cannot be used; ignored` })
      else out[name] = value
    }
    return out
  }
  for (const [path, values] of keys) {
    const lower = path.toLowerCase()
    if (lower === base) Object.assign(document, usable(values, ''))
    else if (lower === `${base}\\recommended`) document.Recommended = usable(values, 'Recommended\\')
    else if (lower.startsWith(`${base}\\`)) problems.push({ name: path.slice(base.length + 1), message: 'unknown subkey (only Recommended is read); ignored' })
  }
  return { document, problems }
}
