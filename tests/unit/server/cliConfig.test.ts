import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadCliConfig } from '../../../src/server/cliConfig'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-cli-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

function writeConfig(content: unknown): string {
  const file = path.join(dir, 'duet-server.json')
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

describe('CLI configuration', () => {
  it('layers config file < env < flags, resolving file paths next to the file', () => {
    const file = writeConfig({ port: 1000, host: '127.0.0.1', webRoot: 'web', iceServers: [{ urls: 'stun:a.example:3478' }] })
    const result = loadCliConfig(['--config', file, '--port', '3000'], { DUET_PORT: '2000', DUET_PUBLIC_URL: 'https://duet.example/' }, '/cwd')
    expect(result).toEqual({
      kind: 'ok',
      config: {
        port: 3000,
        host: '127.0.0.1',
        publicUrl: 'https://duet.example',
        webRoot: path.join(dir, 'web'),
        iceServers: [{ urls: 'stun:a.example:3478' }],
      },
    })
  })

  it('reads ICE servers and data dir from the environment; empty data dir means memory only', () => {
    const result = loadCliConfig([], { DUET_ICE_SERVERS: '[{"urls":["turn:t.example:3478"],"username":"u","credential":"c"}]', DUET_DATA_DIR: '' }, '/cwd')
    expect(result).toEqual({
      kind: 'ok',
      config: { iceServers: [{ urls: ['turn:t.example:3478'], username: 'u', credential: 'c' }], dataDir: null },
    })
    expect(loadCliConfig(['--data-dir', 'data'], {}, '/cwd')).toEqual({ kind: 'ok', config: { dataDir: '/cwd/data' } })
  })

  it('reads the ICE transport policy and the media tuning switch from flags, environment and file', () => {
    expect(loadCliConfig(['--ice-transport-policy', 'relay', '--media-tuning', 'off'], {}, '/cwd')).toEqual({
      kind: 'ok',
      config: { iceTransportPolicy: 'relay', mediaTuning: false },
    })
    expect(loadCliConfig([], { DUET_ICE_TRANSPORT_POLICY: 'all', DUET_MEDIA_TUNING: 'on' }, '/cwd')).toEqual({
      kind: 'ok',
      config: { iceTransportPolicy: 'all', mediaTuning: true },
    })
    expect(loadCliConfig([], { DUET_STAFF_READS_THREADS: 'on' }, '/cwd')).toEqual({ kind: 'ok', config: { staffReadsThreads: true } })
    expect(loadCliConfig([], { DUET_STAFF_READS_THREADS: 'maybe' }, '/cwd')).toMatchObject({ kind: 'error', message: expect.stringContaining('DUET_STAFF_READS_THREADS') })
    const file = writeConfig({ iceTransportPolicy: 'relay', mediaTuning: false })
    expect(loadCliConfig(['--config', file], {}, '/cwd')).toEqual({ kind: 'ok', config: { iceTransportPolicy: 'relay', mediaTuning: false } })
  })

  it.each([
    [['--port', 'abc'], {}, /Invalid --port/],
    [['--ice-transport-policy', 'turn'], {}, /Invalid --ice-transport-policy/],
    [[], { DUET_MEDIA_TUNING: 'maybe' }, /Invalid DUET_MEDIA_TUNING/],
    [['--port', '70000'], {}, /Invalid --port/],
    [[], { DUET_PORT: 'x' }, /Invalid DUET_PORT/],
    [[], { DUET_ICE_SERVERS: '{' }, /DUET_ICE_SERVERS: not valid JSON/],
    [[], { DUET_ICE_SERVERS: '[{"urls":"http://x"}]' }, /Invalid DUET_ICE_SERVERS \(0\.urls\)/],
    [[], { DUET_PUBLIC_URL: 'ftp://x' }, /Invalid DUET_PUBLIC_URL/],
    [['--bogus'], {}, /Unknown option '--bogus'/],
  ] as const)('names the bad setting: %j %j', (argv, env, pattern) => {
    const result = loadCliConfig([...argv], { ...env }, '/cwd')
    expect(result.kind).toBe('error')
    if (result.kind === 'error') expect(result.message).toMatch(pattern)
  })

  it('names bad and unknown fields of the config file', () => {
    const bad = loadCliConfig(['--config', writeConfig({ port: 'eighty' })], {})
    expect(bad.kind === 'error' && bad.message).toMatch(/field "port" in .*duet-server\.json/)
    const unknown = loadCliConfig(['--config', writeConfig({ prot: 80 })], {})
    expect(unknown.kind === 'error' && unknown.message).toMatch(/field "prot"/)
    const notJson = loadCliConfig(['--config', writeConfig('{')], {})
    expect(notJson.kind === 'error' && notJson.message).toMatch(/Cannot read config file/)
  })

  it('the CLI exits 1 with a clear message on an invalid config', { timeout: 70_000 }, async () => {
    const file = writeConfig({ iceServers: [{ urls: 'nope' }] })
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--config', file, '--port', '0'], {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill()
        reject(new Error('CLI did not exit'))
        // tsx compiles the server first: on a loaded two-core machine that alone took 28 s.
      }, 60_000)
      child.on('exit', (c) => {
        clearTimeout(timer)
        resolve(c)
      })
    })
    expect(code).toBe(1)
    expect(stderr).toMatch(/Invalid field "iceServers" in .*\(0\.urls\)/)
  })
})
