import { execFileSync, fork, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NETWORK_URL_PATTERNS } from '../../../../electron/main/security/serverOnly'
import { CONTENT_SECURITY_POLICY } from '../../../../electron/main/security/csp'
import { secureWebPreferences } from '../../../../electron/main/security/webPreferences'
import { WEBRTC_FIELD_TRIALS } from '../../../../electron/main/webrtc/fieldTrials'
import { INVOKE_CHANNELS, SHARING_BAR_STOP_CHANNEL } from '../../../../src/shared/ipc'
import { PolicyViewSchema } from '../../../../src/shared/policy/view'
import { UpdateStatusSchema } from '../../../../src/shared/update'

/**
 * Boots the built main process (out/main/index.js, what `npm start` runs)
 * in plain Node against a recording fake of the 'electron' module
 * (tests/support/electronBoot), and checks the wiring a typecheck cannot:
 * the order of calls around app ready, every IPC channel registered, the
 * window's locked preferences and CSP, the policy and update services
 * running, the hosted session server started on loopback and stopped on quit.
 */

const root = join(import.meta.dirname, '../../../..')
const MAIN = join(root, 'out/main/index.js')
const APP_PAGE = 'app://duet/index.html'

/** Newest modification time under these folders. */
function newest(dirs: string[]): number {
  let latest = 0
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else latest = Math.max(latest, statSync(path).mtimeMs)
    }
  }
  for (const dir of dirs) walk(join(root, dir))
  return latest
}

interface Snapshot {
  calls: { api: string; args: unknown[] }[]
  windows: { options: { webPreferences?: Record<string, unknown> }; url: string | null; listeners: string[] }[]
  invokeChannels: string[]
  ipcListeners: string[]
  protocols: string[]
  session: Record<string, true | { filter: unknown }>
  appListeners: string[]
}

let child: ChildProcess
let bootDir: string
let output = ''
let nextId = 0
let exitResolve: (code: number | null) => void = () => {}
const exited = new Promise<number | null>((resolve) => (exitResolve = resolve))
let quitSeen = false

function ask<T>(message: Record<string, unknown>): Promise<T> {
  const id = ++nextId
  return new Promise<T>((resolve, reject) => {
    const onMessage = (reply: { id?: number; result?: T; error?: string }): void => {
      if (reply.id !== id) return
      child.off('message', onMessage)
      if (reply.error) reject(new Error(reply.error))
      else resolve(reply.result as T)
    }
    child.on('message', onMessage)
    child.send({ ...message, id })
  })
}

async function waitFor<T>(probe: () => Promise<T | null>, what: string, ms = 30_000): Promise<T> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    const value = await probe()
    if (value !== null) return value
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}; main process output:\n${output}`)
}

beforeAll(async () => {
  // `npm test` builds first; run alone, rebuild when the sources are newer than the build.
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newest(['electron', 'src/shared', 'src/server', 'src/node'])) {
    execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' })
  }
  bootDir = mkdtempSync(join(tmpdir(), 'duet-boot-'))
  child = fork(MAIN, [], {
    cwd: root,
    execArgv: ['--require', join(root, 'tests/support/electronBoot/register.cjs')],
    env: { ...process.env, DUET_BOOT_DIR: bootDir, ELECTRON_RENDERER_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  child.on('message', (m: { event?: string }) => {
    if (m.event === 'quit') quitSeen = true
  })
  child.on('exit', (code) => exitResolve(code))
  await waitFor(async () => {
    const snapshot = await ask<Snapshot>({ cmd: 'snapshot' })
    return snapshot.windows.length > 0 && snapshot.invokeChannels.length > 0 ? snapshot : null
  }, 'the main window')
}, 120_000)

afterAll(async () => {
  if (child.exitCode === null) child.kill()
  rmSync(bootDir, { recursive: true, force: true })
})

// One boot for the whole file, and its last test quits the app: the tests keep their order even
// when a run shuffles (vitest --sequence.shuffle), or every test after an early quit would fail.
describe('the built main process, booted against a fake electron', { shuffle: false }, () => {
  it('takes the single-instance lock, registers duet:// and the app:// scheme before ready, and the sandbox', async () => {
    const { calls } = await ask<Snapshot>({ cmd: 'snapshot' })
    const order = calls.map((c) => c.api)
    expect(order).toContain('app.requestSingleInstanceLock')
    expect(order).toContain('app.enableSandbox')
    expect(calls.find((c) => c.api === 'app.setAsDefaultProtocolClient')?.args[0]).toBe('duet')
    const schemes = calls.find((c) => c.api === 'protocol.registerSchemesAsPrivileged')?.args[0]
    expect(schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }])
    expect(order.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(order.indexOf('protocol.handle'))
  })

  it("starts Chromium with the app's WebRTC field trials, before ready", async () => {
    const { calls } = await ask<Snapshot>({ cmd: 'snapshot' })
    const switches = calls.filter((c) => c.api === 'app.commandLine.appendSwitch')
    expect(switches.find((c) => c.args[0] === 'force-fieldtrials')?.args[1]).toBe(WEBRTC_FIELD_TRIALS)
    const order = calls.map((c) => c.api)
    expect(order.indexOf('app.commandLine.appendSwitch')).toBeLessThan(order.indexOf('protocol.handle'))
  })

  it('opens one window with the locked webPreferences, loading the app page', async () => {
    const { windows } = await ask<Snapshot>({ cmd: 'snapshot' })
    expect(windows).toHaveLength(1)
    const prefs = windows[0]?.options.webPreferences ?? {}
    const version = (await ask<{ version: string }>({ cmd: 'invoke', channel: 'duet:app:info', senderUrl: APP_PAGE })).version
    expect(prefs).toEqual(secureWebPreferences(String(prefs.preload), version))
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false })
    expect(existsSync(String(prefs.preload))).toBe(true)
    expect(windows[0]?.url).toBe(APP_PAGE)
    expect(windows[0]?.listeners).toEqual(expect.arrayContaining(['will-navigate', 'will-frame-navigate', 'will-attach-webview']))
  })

  it('serves the app over app:// with the CSP', async () => {
    const page = await ask<{ status: number; headers: Record<string, string>; body: string }>({ cmd: 'protocol', url: APP_PAGE })
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(page.body).toContain('<div id="app">')
    const escape = await ask<{ status: number }>({ cmd: 'protocol', url: 'app://duet/..%2f..%2fpackage.json' })
    expect(escape.status).toBeGreaterThanOrEqual(400)
  })

  it('registers every IPC channel of the channel map (and no other duet: channel), and refuses a foreign sender', async () => {
    const { invokeChannels, ipcListeners } = await ask<Snapshot>({ cmd: 'snapshot' })
    expect(invokeChannels.filter((c) => c.startsWith('duet:')).sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort())
    // electron-log's own channel is the only other one.
    expect(invokeChannels.filter((c) => !c.startsWith('duet:'))).toEqual(['__ELECTRON_LOG__'])
    expect(ipcListeners).toContain(SHARING_BAR_STOP_CHANNEL)
    await expect(ask({ cmd: 'invoke', channel: 'duet:settings:get', senderUrl: 'https://evil.example/' })).rejects.toThrow(/sender is not the app/)
  })

  it('installs the permission, display-media and request handlers', async () => {
    const { session } = await ask<Snapshot>({ cmd: 'snapshot' })
    expect(session).toMatchObject({ permissionRequest: true, permissionCheck: true, displayMedia: true })
    expect(session.beforeRequest).toEqual({ filter: { urls: NETWORK_URL_PATTERNS } })
  })

  it('runs the policy and update services (a development run does not update itself)', async () => {
    expect(PolicyViewSchema.safeParse(await ask({ cmd: 'invoke', channel: 'duet:policy:get', senderUrl: APP_PAGE })).success).toBe(true)
    // Settings go through the policy-aware SettingsService into the store in userData.
    await ask({ cmd: 'invoke', channel: 'duet:settings:update', args: [{ displayName: 'Boot test' }], senderUrl: APP_PAGE })
    expect(await ask({ cmd: 'invoke', channel: 'duet:settings:get', senderUrl: APP_PAGE })).toMatchObject({ displayName: 'Boot test' })
    expect(readFileSync(join(bootDir, 'userData', 'settings.json'), 'utf8')).toContain('Boot test')
    const status = UpdateStatusSchema.parse(await ask({ cmd: 'invoke', channel: 'duet:update:status', senderUrl: APP_PAGE }))
    expect(status.phase).toBe('unsupported')
    expect(status.currentVersion).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('guards navigation of the page and of frames inside it', async () => {
    expect(await ask({ cmd: 'navigate', url: 'https://example.com/help' })).toEqual({ prevented: true })
    expect(await ask({ cmd: 'navigate', url: 'https://evil.example/', frame: true })).toEqual({ prevented: true })
    expect(await ask({ cmd: 'navigate', url: 'app://duet/index.html#/library' })).toEqual({ prevented: false })
    const { calls } = await ask<Snapshot>({ cmd: 'snapshot' })
    expect(calls.filter((c) => c.api === 'shell.openExternal').map((c) => c.args[0])).toEqual(['https://example.com/help'])
  })

  // The hosted server's first start creates its embedded database in the app's data folder (initdb in WebAssembly: seconds of CPU, far more on a loaded machine).
  it('starts the hosted session server on loopback when asked, and stops it on quit', async () => {
    const info = await ask<{ url: string; lanUrls: string[]; hosted: boolean }>({ cmd: 'invoke', channel: 'duet:lessonServer:ensure', senderUrl: APP_PAGE })
    expect(info).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), lanUrls: [], hosted: true })
    expect((await fetch(`${info.url}/api/health`)).status).toBe(200)
    await ask({ cmd: 'quit' })
    expect(await exited).toBe(0)
    expect(quitSeen).toBe(true)
    await expect(fetch(`${info.url}/api/health`)).rejects.toThrow()
  }, 120_000)
})
