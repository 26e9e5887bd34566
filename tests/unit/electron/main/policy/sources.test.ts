import { build, buildBinary } from 'plist'
import { describe, expect, it } from 'vitest'
import { legacyPolicyPath, policySources, type PolicySourceDeps } from '../../../../../electron/main/policy/sources'
import { APP_BUNDLE_ID } from '../../../../../src/shared/policy/definition'
import { decodeRegFile, parseRegFile, RegFileError } from '../../../../../electron/main/policy/windowsRegistry'

/** UTF-16LE with a BOM, CRLF: what `reg export` writes. */
function regExport(lines: string[]): Uint8Array {
  const text = lines.join('\r\n') + '\r\n'
  const body = Buffer.from(text, 'utf16le')
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), body]))
}

/** hex(n): bytes of a UTF-16LE string the way reg export folds them. */
function hexUtf16(text: string): string {
  const bytes = [...Buffer.from(text, 'utf16le')].map((b) => b.toString(16).padStart(2, '0'))
  const lines: string[] = []
  for (let i = 0; i < bytes.length; i += 25) lines.push(bytes.slice(i, i + 25).join(','))
  return lines.join(',\\\r\n  ')
}

const HKLM_EXPORT = regExport([
  'Windows Registry Editor Version 5.00',
  '',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Duet\\Duet]',
  '"ServerUrl"="https://lessons.school.example"',
  '"ServerUrlOnly"=dword:00000001',
  '"AdminContact"="信息中心 王老师，分机 1234"',
  `"IceServers"=hex(7):${hexUtf16('[{"urls":"turn:turn.school.example:3478",\0"username":"duet","credential":"s"}]\0\0')}`,
  `"RecordingFolder"=hex(2):${hexUtf16('%PUBLIC%\\Duet\\Recordings\0')}`,
  '"UpdateChannel"=dword:00000001',
  '"Blob"=hex:01,02,03',
  '"Escaped"="C:\\\\Path with \\"quotes\\""',
  '',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Duet\\Duet\\Recommended]',
  '"Language"="zh-CN"',
  '',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Duet\\Duet\\Other]',
  '"X"="y"',
])

function deps(over: Partial<PolicySourceDeps> & { files?: Record<string, Uint8Array | Error>; keys?: Record<string, Uint8Array | Error> } = {}): PolicySourceDeps {
  const { files = {}, keys = {}, ...rest } = over
  return {
    readFile: async (path) => {
      const entry = files[path]
      if (entry === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' })
      if (entry instanceof Error) throw entry
      return entry
    },
    exportRegistryKey: async (key) => {
      const entry = keys[key]
      if (entry instanceof Error) throw entry
      return entry ?? null
    },
    env: { PUBLIC: 'C:\\Users\\Public', ProgramData: 'C:\\ProgramData' },
    username: 'li',
    ...rest,
  }
}

const text = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value))

describe('.reg files from reg export', () => {
  it('decodes UTF-16, joins folded hex, unescapes strings, expands REG_EXPAND_SZ', () => {
    const keys = parseRegFile(decodeRegFile(HKLM_EXPORT), { PUBLIC: 'C:\\Users\\Public' })
    const base = keys.get('HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Duet\\Duet')
    expect(base?.get('AdminContact')).toBe('信息中心 王老师，分机 1234')
    expect(base?.get('ServerUrlOnly')).toBe(1)
    expect(base?.get('IceServers')).toBe('[{"urls":"turn:turn.school.example:3478",\n"username":"duet","credential":"s"}]')
    expect(base?.get('RecordingFolder')).toBe('C:\\Users\\Public\\Duet\\Recordings')
    expect(base?.get('Escaped')).toBe('C:\\Path with "quotes"')
    expect(base?.get('Blob')).toEqual({ unsupported: 'REG_BINARY data' })
  })

  it('refuses text that is not a .reg file', () => {
    expect(() => parseRegFile('<html>')).toThrow(RegFileError)
    expect(() => parseRegFile('Windows Registry Editor Version 5.00\r\n"A"="b"')).toThrow(/value outside a key/)
  })
})

describe('policySources', () => {
  it('Windows: HKLM beats HKCU beats policy.json, per policy; broken values are reported, the rest applies', async () => {
    const hkcu = regExport([
      'Windows Registry Editor Version 5.00',
      '[HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Duet\\Duet]',
      '"ServerUrl"="https://user-level.example"',
      '"UpdateMode"="manual"',
    ])
    const sources = policySources('win32', deps({
      keys: { 'HKLM\\SOFTWARE\\Policies\\Duet\\Duet': HKLM_EXPORT, 'HKCU\\SOFTWARE\\Policies\\Duet\\Duet': hkcu },
      files: { 'C:\\ProgramData/Duet/policy.json': text({ UpdateMode: 'auto', AdminContact: 'ignored: HKLM sets it' }) },
    }))
    expect(sources.map((s) => s.label)).toEqual(['HKLM\\SOFTWARE\\Policies\\Duet\\Duet', 'HKCU\\SOFTWARE\\Policies\\Duet\\Duet', legacyPolicyPath('win32', { ProgramData: 'C:\\ProgramData' })])
    const [machine, user] = await Promise.all(sources.slice(0, 2).map((s) => s.read()))
    expect(machine?.enforced).toEqual({
      ServerUrl: 'https://lessons.school.example',
      ServerUrlOnly: true,
      AdminContact: '信息中心 王老师，分机 1234',
      IceServers: [{ urls: 'turn:turn.school.example:3478', username: 'duet', credential: 's' }],
      RecordingFolder: 'C:\\Users\\Public\\Duet\\Recordings',
    })
    expect(machine?.recommended).toEqual({ Language: 'zh-CN' })
    expect(machine?.problems.map((p) => `${p.policy}: ${p.message}`)).toEqual([
      'Blob: REG_BINARY data cannot be used; ignored',
      'Other: unknown subkey (only Recommended is read); ignored',
      'UpdateChannel: must be text (a REG_SZ), not the number 1; ignored',
      'Escaped: unknown policy; ignored',
    ])
    expect(user?.enforced).toEqual({ ServerUrl: 'https://user-level.example', UpdateMode: 'manual' })
  })

  it('a missing key is no policy; a failing reg.exe or garbage output is a problem, never a crash', async () => {
    const missing = policySources('win32', deps())
    expect(await missing[0]?.read()).toBeNull()
    const failing = policySources('win32', deps({ keys: { 'HKLM\\SOFTWARE\\Policies\\Duet\\Duet': new Error('reg.exe: ERROR: Access is denied.'), 'HKCU\\SOFTWARE\\Policies\\Duet\\Duet': text('garbage') } }))
    const [hklm, hkcu] = await Promise.all(failing.slice(0, 2).map((s) => s.read()))
    expect(hklm?.problems[0]?.message).toMatch(/cannot be read \(reg\.exe: ERROR: Access is denied\.\); nothing in it is applied/)
    expect(hkcu?.problems[0]?.message).toMatch(/reg export gave unreadable output/)
  })

  it('macOS: the device profile beats the user profile beats policy.json; XML and binary plists', async () => {
    const device = `/Library/Managed Preferences/${APP_BUNDLE_ID}.plist`
    const user = `/Library/Managed Preferences/li/${APP_BUNDLE_ID}.plist`
    const sources = policySources('darwin', deps({
      files: {
        [device]: text(build({ UpdateMode: 'none', AllowLanJoin: false, Recommended: { Language: 'zh-CN' } })),
        [user]: buildBinary({ UpdateMode: 'auto', IceServers: [{ urls: 'stun:stun.school.example:3478' }], AiQuestionsPerStudentPerDay: 25 }),
      },
    }))
    expect(sources.map((s) => s.label)).toEqual([device, user, '/Library/Application Support/Duet/policy.json'])
    const [a, b, c] = await Promise.all(sources.map((s) => s.read()))
    expect(a).toMatchObject({ enforced: { UpdateMode: 'none', AllowLanJoin: false }, recommended: { Language: 'zh-CN' }, problems: [] })
    expect(b).toMatchObject({ enforced: { UpdateMode: 'auto', IceServers: [{ urls: 'stun:stun.school.example:3478' }], AiQuestionsPerStudentPerDay: 25 }, problems: [] })
    expect(c).toBeNull()
  })

  it('a malformed plist or JSON, an oversized or unreadable file: one clear problem naming the file', async () => {
    const path = '/etc/duet/policy.json'
    const cases: [Uint8Array | Error, RegExp][] = [
      [text('{ "ServerUrl": '), /is not valid JSON/],
      [new Uint8Array(300 * 1024), /larger than 256 KB/],
      [Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }), /cannot be read \(EACCES/],
    ]
    for (const [content, message] of cases) {
      const [source] = policySources('linux', deps({ files: { [path]: content } }))
      const read = await source?.read()
      expect(read?.enforced).toEqual({})
      expect(read?.problems).toEqual([{ source: path, policy: null, message: expect.stringMatching(message) }])
    }
    const plist = `/Library/Managed Preferences/${APP_BUNDLE_ID}.plist`
    const [mac] = policySources('darwin', deps({ files: { [plist]: text('<?xml version="1.0"?><plist><dict><key>A</key>') } }))
    expect((await mac?.read())?.problems[0]?.message).toMatch(/is not a valid property list/)
  })

  it('Linux reads /etc/duet/policy.json only', () => {
    expect(policySources('linux', deps()).map((s) => s.label)).toEqual(['/etc/duet/policy.json'])
  })
})
